// `nodes` is swept, but the hosts are written as two: every point runs the
// same model. `keep` is declared and never read.
param nodes = 4
param keep = 10min
platform {
  host gw { speed 1Gf/s; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  host node[1..2] { speed 1Gf/s; cores 4; ram 16GB; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  link l[1..2] { bandwidth 100MBps; latency 10us }
  route gw <-> node[i] via l[i]
}
storage repo on gw:"/"
serverless faas { head gw:"/"; compute node[*]; idle_timeout 10min }
image img { size 100MB; ram 100MB; from repo }
function f { image img; limits { ram 1GB }; body { compute 2Gf } }
workload { invoke f on faas every 1s count 10 }
sweep nodes in [2, 4, 8]
