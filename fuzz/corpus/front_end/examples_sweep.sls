// A parameter sweep: the same bursty load on 2, 4 and 8 nodes under three
// schedulers, five repetitions each with different seeds (45 runs).
param nodes = 4
param policy = fcfs
param seed = 7

platform {
  host gateway { speed 10Gf/s; cores 4; disk "/" { size 2TB; read 200MBps; write 200MBps } }
  host node[1..nodes] {
    speed 1Gf/s; cores 8; ram 32GB
    disk "/" { size 500GB; read 150MBps; write 150MBps }
  }
  link lan[1..nodes] { bandwidth 1Gbps; latency 100us }
  route gateway <-> node[i] via lan[i]
}

serverless faas {
  head gateway:"/"
  compute node[*]
  scheduler policy
  container_startup 2s
  idle_timeout 30s
}

image python { size 400MB; ram 180MB }

function handler {
  image python
  limits { time 30s; ram 256MB }
  body { compute exponential(500Mf) }
}

workload {
  invoke handler poisson 40/s for 5min
  invoke handler at 2min burst 200
}

sweep nodes in [2, 4, 8] x policy in [fcfs, random(3), balanced] repeat 5
