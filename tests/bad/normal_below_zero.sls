// A normal amount whose deviation is past its mean: 42 % of its draws fall
// below zero and are taken as 0 (a mass of zeros, and another mean).
platform {
  host gw { speed 1Gf/s; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  host node { speed 1Gf/s; cores 4; ram 16GB; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  link l { bandwidth 100MBps; latency 10us }
  route gw <-> node via l
}
storage repo on gw:"/"
serverless faas { head gw:"/"; compute node }
image img { size 100MB; ram 100MB; from repo }
function f { image img; limits { ram 1GB }; body { sleep normal(1s, 5s) } }
workload { invoke f every 1s count 10 }
