// A workflow of one function: a workflow joins functions with `->`; one
// function alone is invoked.
platform {
  host gateway { speed 1Gf/s; cores 1; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node { speed 1Gf/s; cores 4; ram 16GB; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  link lan { bandwidth 1GBps; latency 0us }
  route gateway <-> node via lan
}
serverless faas { head gateway:"/"; compute node }
image runtime { size 100MB; ram 100MB }
function f { image runtime; limits { ram 256MB }; body { sleep 1s } }
workflow solo { f }
workload { invoke solo every 1s count 10 }
