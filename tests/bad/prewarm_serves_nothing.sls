// Prewarmed containers of a function whose size each invocation gives.
platform {
  host gw { speed 1Gf/s; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  host node[1..2] { speed 1Gf/s; cores 4; ram 16GB; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  link l[1..2] { bandwidth 100MBps; latency 10us }
  route gw <-> node[i] via l[i]
}
storage repo on gw:"/"
serverless faas {
  head gw:"/"
  compute node[*]
  idle_timeout 10min
  prewarm work 2
}
image img { size 100MB; from repo }
function work { image img; limits { ram trace.memory }; body { sleep trace.duration } }
workload { invoke work every 1s count 10 with { duration 1s; memory 512MB } }
