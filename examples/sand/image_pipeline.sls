// SAND (Akkus et al., ATC 2018): an image-processing application whose
// functions share one sandbox per host, with a worker per function that
// loads its libraries once and forks an instance per event; events between
// functions on one host take the local bus, others the global bus; outputs
// are passed by reference through the local data layer, or the global one
// across hosts.
platform {
  host gateway { speed 4Gf/s; cores 4; disk "/" { size 1TB; read 500MBps; write 500MBps } }
  host node[1..4] {
    speed 2.5Gf/s; cores 8; ram 32GB
    disk "/" { size 500GB; read 500MBps; write 400MBps }
  }
  link lan[1..4] { bandwidth 10Gbps; latency 50us }
  route gateway <-> node[i] via lan[i]
}

serverless sand {
  head gateway:"/"
  compute node[*]
  container_startup 1.2s
  idle_timeout 10min
  sandbox per_application {
    worker_start 60ms
    library_load 250ms
    fork 2ms
    base_memory 16.35MB
    instance_memory 1.1MB
  }
  bus hierarchical {
    local_latency 30us
    local_per_message 5us
    global_latency 2.5ms
    global_per_message 100us
    agent_forward 20us
    backup on
  }
  data local  { latency 20us; bandwidth 5GBps }
  data global { latency 1ms; bandwidth 1GBps }
}

image pillow { size 250MB; ram 90MB }

function extract   { image pillow; app photos; body { compute 300Mf; output 2MB } }
function resize    { image pillow; app photos; body { compute 800Mf; output 600kB } }
function watermark { image pillow; app photos; body { compute 400Mf; output 600kB } }
function thumbnail { image pillow; app photos; body { compute 200Mf; output 60kB } }
function store     { image pillow; app photos; body { write 700kB } }

workflow process {
  extract -> [resize, thumbnail]
  resize -> watermark
  [watermark, thumbnail] -> store
}

workload {
  invoke process poisson 20/s for 5min
}
