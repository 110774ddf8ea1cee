// CPU limits per function. On `knative`, each function states the cores
// its body may use (`cpu`, a cgroup quota that also weighs its share when
// a node's cores are short); on `lambda`, CPU follows memory as on AWS
// Lambda (one core per 1769MB of RAM limit). Sweep the share of `resize`
// to see its compute time follow it: 4Gf at 1Gf/s per core takes 8 s at
// `cpu 0.5`, 4 s at 1, 2 s at 2 (while the node has the cores free).
param share = 1
platform {
  host gateway { speed 10Gf/s; cores 2; disk "/" { size 1TB; read 500MBps; write 500MBps } }
  host node[1..4] {
    speed 1Gf/s; cores 4; ram 32GB
    disk "/" { size 500GB; read 500MBps; write 500MBps }
  }
  link local[1..4] { bandwidth 1GBps; latency 10us }
  route gateway <-> node[i] via local[i]
}

storage repo on gateway:"/"

serverless knative {
  head gateway:"/"
  compute node[1..2]
  container_startup 500ms
  idle_timeout 10min
}

serverless lambda {
  head gateway:"/"
  compute node[3..4]
  container_startup 500ms
  idle_timeout 10min
  cpu_follows_memory 1769MB
}

image runtime { size 200MB; ram 100MB; from repo }

function resize { image runtime; limits { ram 512MB; cpu share }; body { compute 4Gf } }
function encode { image runtime; limits { ram 1GB; cpu 2 }; body { compute 8Gf; write 50MB } }
function small { image runtime; limits { ram 884.5MB }; body { compute 1Gf } } // half a core on lambda
function large { image runtime; limits { ram 3538MB }; body { compute 1Gf } }  // two cores on lambda

workload {
  invoke resize every 10s count 30 on knative
  invoke encode poisson(6/min) for 5min on knative
  invoke small every 5s count 60 on lambda
  invoke large every 5s count 60 on lambda
}

sweep share in [0.5, 1, 2]
