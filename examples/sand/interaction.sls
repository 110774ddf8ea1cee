// SAND.md, "Hierarchical message bus": local-bus message latency was 2.90x
// lower than the global bus (Python); function interaction latency was
// 8.32x lower than OpenWhisk warm and 562x lower cold. This example puts in
// the bus ratio (global bus 3.19 ms per hop against 1.1 ms on a host's local
// bus) and assumed costs for the rest — an OpenWhisk-like controller path of
// 5 ms per request, 1.2 s to start a container, and SAND's 2 ms fork, 50 ms
// worker start and 100 ms library load — and measures the interaction
// latency of a two-function chain (`first -> second`, the second's start
// minus the first's end), cold (first instance) and warm (second instance):
//   openwhisk warm: bus 3.19 ms + controller 5 ms          =    8.19 ms
//   sand warm:      local bus 1.1 ms + fork 2 ms           =    3.1 ms  (2.6x)
//   openwhisk cold: 8.19 ms + container start 1.2 s        = 1208.19 ms
//   sand cold:      1.1 ms + worker 50 ms + libraries 100 ms + fork 2 ms = 153.1 ms (7.9x)
// tests/sand.rs asserts these four figures. The model keeps SAND's order of
// effects (local beats global, warm and cold); the paper's larger factors come
// from costs of the real systems (OpenWhisk's controller path, its cold start)
// that these assumed values do not try to match.
platform {
  host gateway { speed 4Gf/s; cores 4; disk "/" { size 1TB; read 500MBps; write 500MBps } }
  host ow { speed 2.5Gf/s; cores 16; ram 32GB; disk "/" { size 500GB; read 500MBps; write 400MBps } }
  host sbx { speed 2.5Gf/s; cores 16; ram 32GB; disk "/" { size 500GB; read 500MBps; write 400MBps } }
  link lan[1..2] { bandwidth 10Gbps; latency 50us }
  route gateway <-> ow via lan[1]
  route gateway <-> sbx via lan[2]
}

serverless openwhisk {
  head gateway:"/"
  compute ow
  container_startup 1.2s
  idle_timeout 10min
  processing_overhead 5ms
  bus global { latency 3.19ms }
}

serverless sand {
  head gateway:"/"
  compute sbx
  container_startup 1.2s
  idle_timeout 10min
  processing_overhead 5ms
  sandbox per_application { worker_start 50ms; library_load 100ms; fork 2ms }
  bus hierarchical { local_latency 1.1ms; global_latency 3.19ms }
}

image python { size 0B }

function first { image python; app chain; body { sleep 100ms } }
function second { image python; app chain; body { sleep 100ms } }

workflow chain { first -> second }

workload {
  client {
    invoke chain on openwhisk
    wait
    invoke chain on openwhisk
    wait
  }
  client {
    invoke chain on sand
    wait
    invoke chain on sand
    wait
  }
}
