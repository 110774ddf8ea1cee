// Bodies that talk to storage over the network, with ingress and egress
// limits that fail an invocation when exceeded, random amounts drawn from
// several distributions, and a body that fails on its own 2% of the time.
include "common/cluster.sls"

serverless faas {
  head gateway:"/"
  compute node[1..4]
  scheduler random(11)
  container_startup 1.5s
  idle_timeout 1min
  eviction ram
  request_payload 2kB
  response_payload 16kB
}

image etl { size 500MB; ram 200MB; from registry }

function ingest {
  image etl
  limits { time 2min; ram 1GB; disk 5GB; ingress 200MB; egress 50MB }
  body {
    read uniform(20MB, 250MB) from objects
    compute lognormal(10Gf, 0.5)
    write 200MB
    read 200MB
    write exponential(10MB) to objects
    fail 2%
  }
}

workload {
  invoke ingest poisson 2/s for 15min
}
