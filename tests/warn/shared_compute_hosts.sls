// Two services on the same compute hosts: each counts their RAM as its own.
platform {
  host gw { speed 1Gf/s; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  host node[1..2] { speed 1Gf/s; cores 4; ram 16GB; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  link l[1..2] { bandwidth 100MBps; latency 10us }
  route gw <-> node[i] via l[i]
}
storage repo on gw:"/"
serverless faas { head gw:"/"; compute node[*] }
serverless batch { head gw:"/"; compute node[2] }
image img { size 100MB; ram 100MB; from repo }
function f { image img; limits { ram 1GB }; body { sleep 1s } }
workload {
  invoke f on faas every 1s count 10
  invoke f on batch every 1s count 10
}
