// A closed model: 40 interactive users of a dashboard, each invoking again
// after its previous request completes and a think time of 4 s on average.
// Throughput is set by the users, not by a rate: 40 / (4 s + response time)
// per second, a little under 10/s, so about 2,900 requests in 5 min.
include "../common/cluster.sls"

serverless faas {
  head gateway:"/"
  compute node[1..2]
  container_startup 1s
  idle_timeout 5min
}

image dashboard { size 300MB; ram 160MB; from registry }

function render {
  image dashboard
  limits { time 20s; ram 384MB }
  body { read 200kB from objects; compute lognormal(300Mf, 0.5) }
}

workload {
  invoke render closed 40 users think exponential(4s) for 5min
}
