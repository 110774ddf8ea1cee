// Prewarmed containers taken by invocations: `prewarm f prewarms` starts
// as many containers (100 s start-up, 100 nodes), and as many invocations
// arrive in the first 50 s, each taking one still starting. A claim looks
// through its node's prewarming containers, not the service's; a prewarm
// request starts a container of its own and is never given one that is
// there (which it cannot use: it was refused, never started, and kept that
// container from the invocations behind it).
//
//   sls run bench/prewarm.sls -p prewarms=10000 --out OUT
// (`bench/prewarm.sh` times it at 5,000, 20,000 and 80,000.)
param prewarms = 1000

platform {
  host gw { speed 1Gf/s; cores 1; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node[1..100] { speed 1Gf/s; cores 1000; ram 1000GB; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  link l[1..100] { bandwidth 1GBps; latency 0s }
  route gw <-> node[i] via l[i]
  network raw
}

serverless faas {
  head gw:"/"
  compute node[*]
  scheduler fcfs
  slots 1000
  container_startup 100s
  idle_timeout 10min
  image_downloads off
  prewarm f prewarms
}

image img { size 0B; ram 0B }

function f { image img; limits { ram 1MB }; body { sleep 1s } }

workload { invoke f every 50s / prewarms count prewarms }
