// The Azure benchmark in the peer's own model (dslab-faas's `faas-benchmark`),
// as far as the language goes: one container per concurrent invocation
// (`concurrency 1`, the default, and a container per function, the default
// sandbox), capacity limited by memory, not cores (`slots` far above what
// 4096 MB holds), containers sized by the application's memory from the
// trace, 0.5 s cold start, 10 min keep-alive, no image transfer cost, CPU
// contention ignored (bodies sleep for the trace's durations). Same trace,
// same 30 applications and same rates as bench/azure-balanced.sls; every
// remaining difference from the peer's model is listed in bench/README.md
// ("azure, in the peer's model").
//
//   sls run bench/azure-dslab.sls -p trace=/tmp/azure -p rps=10/s --out OUT
// (`bench/azure.sh dslab` times it at 10, 50 and 100 requests per second.)
param trace = "trace"
param rps = 10/s

platform {
  host gateway { speed 10Gf/s; cores 8; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node[1..100] {
    speed 1Gf/s; cores 4; ram 4096MB
    disk "/" { size 100GB; read 1GBps; write 1GBps }
  }
  link lan[1..100] { bandwidth 10Gbps; latency 10us }
  route gateway <-> node[i] via lan[i]
}

serverless faas {
  head gateway:"/"
  compute node[*]
  scheduler least_loaded // memory rarely runs short (see bench/README.md)
  slots 100000           // memory, not cores, limits the containers of a node
  container_startup 500ms
  idle_timeout 10min
  image_downloads off
}

image runtime { size 0B; ram 0B } // no image transfer cost

function app {
  image runtime
  limits { ram trace.memory }   // the application's memory; concurrency 1
  body { sleep trace.duration } // no CPU contention
}

workload {
  replay azure2019 trace as app {
    apps quantile(0.4..0.6, 30)
    spread poisson
    rate rps
  }
}
