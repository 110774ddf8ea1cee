// Bursts: a flash sale. The sale e-mail lands at 1 min and 1,500 shoppers
// open the offer page at the same instant; a reminder at 4 min brings a
// second wave of 500. `at T burst N` submits N invocations together at T:
// 2,000 in all. The eight nodes hold 128 containers (one per core), so the
// first wave waits for the image, starts 128 cold and queues the rest behind
// them; the second wave finds them warm.
include "../common/cluster.sls"

serverless faas {
  head gateway:"/"
  compute node[*]
  container_startup 800ms
  idle_timeout 10min
}

image storefront { size 200MB; ram 120MB; from registry }

function offer {
  image storefront
  limits { time 30s; ram 256MB }
  body { read 50kB from objects; compute uniform(100Mf, 300Mf); sleep 20ms }
}

workload {
  invoke offer at 1min burst 1500
  invoke offer at 4min burst 500
}
