// A ramp from nothing to nothing: `poisson 0/s` is refused, and so is
// this stream, which would invoke nothing.
platform {
  host gateway { speed 1Gf/s; cores 1; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node { speed 1Gf/s; cores 4; ram 16GB; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  link lan { bandwidth 1GBps; latency 0us }
  route gateway <-> node via lan
}
serverless faas { head gateway:"/"; compute node }
image runtime { size 100MB; ram 100MB }
function f { image runtime; limits { ram 256MB }; body { sleep 1s } }
workload { invoke f ramp(0/s -> 0/s) over 1min for 10min }
