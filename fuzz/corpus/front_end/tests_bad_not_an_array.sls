// An index on a host that is not an array.
platform {
  host gw { speed 1Gf/s; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  host node[1..2] { speed 1Gf/s; cores 4; ram 16GB; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  link l[1..2] { bandwidth 100MBps; latency 10us }
  route gw[1] <-> node[1] via l[1]
  route gw <-> node[2] via l[2]
}
storage repo on gw:"/"
serverless faas { head gw:"/"; compute node[*] }
image img { size 100MB; ram 100MB; from repo }
function f { image img; limits { ram 1GB }; body { sleep 1s } }
workload { invoke f every 1s count 10 }
