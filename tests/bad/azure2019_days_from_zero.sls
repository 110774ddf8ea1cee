// A range of Azure 2019 days from 0: the trace's files are named from d01.
platform {
  host gw { speed 1Gf/s; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  host node { speed 1Gf/s; cores 4; ram 16GB; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  link l { bandwidth 100MBps; latency 10us }
  route gw <-> node via l
}
serverless faas { head gw:"/"; compute node }
image img { size 100MB; ram 100MB }
function t { image img; limits { ram trace.memory }; body { sleep trace.duration } }
workload { replay azure2019 "../../examples/traces/azure2019" as t { days 0..2; minutes 1..60 } }
