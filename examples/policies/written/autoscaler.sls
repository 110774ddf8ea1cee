// An autoscaler written in the script: each function gets a container per
// invocation in flight over the last 10 seconds (rounded up), at most 30,
// asked every 2 s while the load moves. Invocations sleep 1 s, one a
// container: 5/s for 2 minutes keeps 5 in flight, the step to 50/s for a
// minute asks for 50 (held to 30: the others wait or start cold), then
// 5/s again (600 + 3000 + 600 = 4200 arrivals).
param most = 30

autoscaler per_in_flight {
  desired clamp(ceil(concurrency(function, 10s)), 0, most)
  every 2s
}

platform {
  host gateway { speed 10Gf/s; cores 1; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  host node { speed 1Gf/s; cores 64; ram 64GB; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  link local { bandwidth 1GBps; latency 2us }
  route gateway <-> node via local
}

serverless faas {
  head gateway:"/"
  compute node
  container_startup 2s
  slots 640
  autoscaler per_in_flight
}

image runtime { size 100MB; ram 100MB }

function api { image runtime; limits { ram 256MB }; body { sleep 1s } }

workload {
  invoke api stages { 5/s for 2min; 50/s for 1min; 5/s for 2min }
}
