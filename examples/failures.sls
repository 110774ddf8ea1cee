// Failure injection: a compute node crashes for 30 s (the invocations running
// there fail with `host_failure`, its containers and caches are lost, and it
// comes back empty), and the link to the data store goes down for 10 s
// (reads in flight and started meanwhile fail with `network_failure`).
platform {
  host gateway { speed 4Gf/s; cores 4; disk "/" { size 1TB; read 500MBps; write 500MBps } }
  host store { speed 4Gf/s; cores 4; disk "/" { size 10TB; read 800MBps; write 600MBps } }
  host node[1..4] { speed 2Gf/s; cores 8; ram 32GB; disk "/" { size 500GB; read 500MBps; write 400MBps } }
  link lan[1..4] { bandwidth 10Gbps; latency 50us }
  link data { bandwidth 10Gbps; latency 200us }
  route gateway <-> node[i] via lan[i]
  route store <-> node[i] via data, lan[i]
  fail host node[2] at 60s for 30s
  fail link data at 100s for 10s
}

storage objects on store:"/"

serverless faas {
  head gateway:"/"
  compute node[*]
  scheduler balanced
  container_startup 500ms
  idle_timeout 2min
}

image worker { size 200MB; ram 80MB }

function analyse {
  image worker
  limits { time 30s; ram 512MB }
  body {
    read 50MB from objects
    compute uniform(2Gf, 8Gf)
  }
}

workload {
  invoke analyse poisson 10/s for 3min
}
