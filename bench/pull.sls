// Cold image pulls crowding one core link: every invocation lands on a
// fresh node (one core, a body that sleeps an hour), so each one copies the
// 1 GB image from the head's disk over the shared 10 GB/s core link and the
// node's own 1 GB/s link (LV08), 10 ms after the one before. With 100
// arrivals a second and about 9 copies' worth of bandwidth, thousands of
// copies share the core at once.
//
//   sls run bench/pull.sls -p nodes=2500 --out OUT
// (`bench/pull.sh` times it at 2,500, 5,000 and 10,000 nodes.)
param nodes = 2500

platform {
  host head { speed 10Gf/s; cores 8; disk "/" { size 100TB; read 100GBps; write 100GBps } }
  host node[1..nodes] { speed 1Gf/s; cores 1; ram 4GB; disk "/" { size 100GB; read 1GBps; write 1GBps } }
  link core { bandwidth 10GBps; latency 100us }
  link local[1..nodes] { bandwidth 1GBps; latency 10us }
  route head <-> node[i] via core, local[i]
  network lv08
}

serverless faas {
  head head:"/"
  compute node[*]
  scheduler fcfs
  container_startup 1s
  idle_timeout 1h
}

image big { size 1GB; ram 1GB } // on the head from the start

function f { image big; limits { ram 1GB }; body { sleep 1h } }

workload { invoke f every 10ms count nodes }
