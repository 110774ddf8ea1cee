// A parameter named `ram` (a node's memory) hides the eviction policy of
// the same name: `eviction ram` is the parameter there, a size.
param ram = 16GB

platform {
  host gateway { speed 1Gf/s; cores 1; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node { speed 1Gf/s; cores 4; ram ram; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  link lan { bandwidth 1GBps; latency 0us }
  route gateway <-> node via lan
}

serverless faas { head gateway:"/"; compute node; eviction ram }

image runtime { size 100MB; ram 100MB }
function f { image runtime; limits { ram 256MB }; body { sleep 1s } }
workload { invoke f at 0s }
