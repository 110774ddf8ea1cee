// RAM, not slots, limits concurrency: `fcfs` (WRENCH's passes, which
// read slots and where images are, not free RAM) sends every request to
// node[1], the first node with a free slot and the image in RAM, whose
// 4 GB hold the image and three bodies of 1 GB; 100 requests arrive per
// second, so the queue grows by about 97 a second and every round meets
// it. A round costs what it can decide (the head, and the doomed tail
// after it), not the queue's length.
//
//   sls run bench/queue.sls -p minutes=4 --out OUT
// (`bench/queue.sh` times it at 16, 64 and 256 minutes of arrivals.)
param minutes = 1

platform {
  host head { speed 10Gf/s; cores 8; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node[1..10] { speed 1Gf/s; cores 100; ram 4GB; disk "/" { size 100GB; read 1GBps; write 1GBps } }
  link l[1..10] { bandwidth 1GBps; latency 10us }
  route head <-> node[i] via l[i]
}

serverless faas {
  head head:"/"
  compute node[*]
  scheduler fcfs
  slots 100000
  idle_timeout 1h
}

image img { size 100MB; ram 1GB }

function f { image img; limits { ram 1GB }; body { sleep 1s } }

workload { invoke f poisson 100/s for minutes * 1min }
