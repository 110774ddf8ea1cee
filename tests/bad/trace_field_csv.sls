// A template sleeping `trace.duration` and reserving `trace.memory`,
// replayed from a plain CSV whose header has neither column: each
// invocation slept 0 s and reserved no RAM, without a word.
platform {
  host gw { speed 1Gf/s; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  host node { speed 1Gf/s; cores 4; ram 16GB; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  link l { bandwidth 100MBps; latency 10us }
  route gw <-> node via l
}
serverless faas { head gw:"/"; compute node }
image img { size 100MB; ram 100MB }
function t { image img; limits { ram trace.memory }; body { sleep trace.duration } }
workload { replay csv "data/times_only.csv" as t }
