// WRENCH's newest additions: images built from shared layers (a layer
// cached once serves every image that has it), more container slots than
// cores (bodies share the CPU), prewarmed containers, and the greedy
// scheduler assembled from its four policies.
platform {
  host head { speed 10Gf/s; cores 4; disk "/" { size 4TB; read 100MBps; write 100MBps } }
  host registry { speed 10Gf/s; cores 2; disk "/" { size 10TB; read 100MBps; write 100MBps } }
  host node[1..4] {
    speed 1Gf/s; cores 4; ram 16GB
    disk "/" { size 200GB; read 100MBps; write 100MBps }
  }
  link uplink { bandwidth 20MBps; latency 1ms }
  link local[1..4] { bandwidth 1GBps; latency 10us }
  route registry <-> head via uplink
  route head <-> node[i] via local[i]
}

storage hub on registry:"/"

serverless faas {
  head head:"/"
  compute node[*]
  scheduler greedy {
    order fcfs
    nodes all
    eviction fewest_evictions
    plan eviction_averse
  }
  container_startup 3s
  idle_timeout 2min
  slots 8
  prewarm resize 2
}

layer os { size 80MB }
layer python { size 300MB; ram 120MB }
layer numpy { size 150MB; ram 60MB }
layer torch { size 1.8GB; ram 700MB }

image imaging { layers [os, python, numpy]; from hub }
image inference { layers [os, python, numpy, torch]; from hub }

function resize { image imaging; limits { ram 512MB }; body { compute 4Gf } }
function infer { image inference; limits { ram 2GB; time 1min }; body { compute 30Gf } }

workload {
  invoke resize every 2s count 100
  invoke infer at 20s every 10s count 20
}
