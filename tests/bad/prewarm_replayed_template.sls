// Prewarmed containers of a trace template that only a replay runs.
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
function work { image img; limits { ram 256MB }; body { sleep trace.duration } }
workload { replay csv "../../examples/traces/plain_sample.csv" as work }
