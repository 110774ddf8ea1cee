// A RAM limit that buys more cores than a node has, under cpu_follows_memory.
platform {
  host gw { speed 1Gf/s; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  host node[1..2] { speed 1Gf/s; cores 4; ram 16GB; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  link l[1..2] { bandwidth 100MBps; latency 10us }
  route gw <-> node[i] via l[i]
}
storage repo on gw:"/"
serverless faas { head gw:"/"; compute node[*]; cpu_follows_memory 1769MB }
image img { size 100MB; ram 100MB; from repo }
function f { image img; limits { ram 10GB }; body { compute 1Gf } }
workload { invoke f every 1s count 10 }
