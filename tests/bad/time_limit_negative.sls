// A negative time limit: WRENCH takes it for no limit; here it is a slip.
platform {
  host gw { speed 1Gf/s; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  host node { speed 1Gf/s; cores 4; ram 16GB; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  link l { bandwidth 100MBps; latency 10us }
  route gw <-> node via l
}
storage repo on gw:"/"
serverless faas { head gw:"/"; compute node }
image img { size 100MB; ram 100MB; from repo }
function f { image img; limits { time -5s; ram 1GB }; body { sleep 1s } }
workload { invoke f every 1s count 10 }
