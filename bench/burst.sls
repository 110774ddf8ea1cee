// A burst of requests of `functions` different functions (one request
// each, all at once) onto a cold platform whose nodes copy the functions'
// shared 1 GB image from the head: every request waits for a copy, and
// each arrival is a scheduling round. `functions / 32` nodes of 64 cores:
// half the slots are taken.
//
//   sls run bench/burst.sls -p functions=8192 --out OUT
// (`bench/burst.sh` times it at 2,048, 8,192 and 32,768 functions.)
param functions = 8192

platform {
  host head { speed 10Gf/s; cores 8; disk "/" { size 100TB; read 100GBps; write 100GBps } }
  host node[1..functions / 32] {
    speed 1Gf/s; cores 64; ram 1000GB
    disk "/" { size 100GB; read 1GBps; write 1GBps }
  }
  link core { bandwidth 10GBps; latency 100us }
  link local[1..functions / 32] { bandwidth 1GBps; latency 10us }
  route head <-> node[i] via core, local[i]
}

serverless faas {
  head head:"/"
  compute node[*]
  scheduler fcfs
  container_startup 1s
  idle_timeout 1h
}

image big { size 1GB; ram 1GB } // on the head from the start

function base { image big; limits { ram 1GB }; body { sleep 1s } }
function f[k in 1..functions] extends base { image big }

workload { invoke f[k in 1..functions] at 0s burst 1 }
