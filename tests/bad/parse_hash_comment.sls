// A comment written with `#`, as shell and Python write one.
platform {
  host gw { speed 1Gf/s; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  host node[1..2] { speed 1Gf/s; cores 4; ram 16GB; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  link l[1..2] { bandwidth 100MBps; latency 10us }
  route gw <-> node[i] via l[i]
}
storage repo on gw:"/"
serverless faas { head gw:"/"; compute node[*] }
image img { size 100MB; ram 100MB; from repo }
function f { image img; limits { ram 1GB }; body { sleep 1s } }
# ten calls, one a second
workload { invoke f every 1s count 10 }
