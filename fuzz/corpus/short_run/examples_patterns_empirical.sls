// Empirical distributions: a checkout service whose handling times and
// response sizes are drawn from 60 measured requests
// (`../data/checkout_latency.csv`: mostly cache hits near 40 ms, some misses
// near 400 ms; 109 ms on average). The CSV is read when the script is
// checked, relative to this file; the third argument is the unit of the
// column's numbers. 10/s for 5 min: about 3,000 invocations.
include "../common/cluster.sls"

serverless faas {
  head gateway:"/"
  compute node[1..4]
  container_startup 800ms
  idle_timeout 5min
}

image shop { size 250MB; ram 130MB; from registry }

function checkout {
  image shop
  limits { time 10s; ram 256MB }
  body {
    sleep empirical("../data/checkout_latency.csv", "duration_ms", 1ms)
    output empirical("../data/checkout_latency.csv", "response_kB", 1kB)
  }
}

workload {
  invoke checkout poisson 10/s for 5min
}
