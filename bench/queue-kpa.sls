// bench/queue.sls with an autoscaler: Knative's KPA asks for a container
// per request in flight, which the RAM cannot hold: its prewarm requests
// wait in the list among the invocations, each refused when a round
// reaches it (node[1] has no RAM for it; a container started ahead evicts
// nothing). Found quadratic on 2026-12-05: the round's doomed tail was not
// taken while a prewarm request waited, so every round walked the whole
// queue; now the round ends there too, and takes out the prewarm requests
// it would have refused (`Decisions::refuse_prewarms`).
//
//   sls run bench/queue-kpa.sls -p minutes=1 --out OUT
// (`bench/queue-kpa.sh` times it at 1, 2 and 4 minutes of arrivals.)
param minutes = 1

platform {
  host head { speed 10Gf/s; cores 8; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node[1..10] { speed 1Gf/s; cores 100; ram 4GB; disk "/" { size 100GB; read 1GBps; write 1GBps } }
  link l[1..10] { bandwidth 1GBps; latency 10us }
  route head <-> node[i] via l[i]
}

serverless faas {
  head head:"/"
  compute node[*]
  scheduler fcfs
  slots 100000
  idle_timeout 1h
  autoscaler kpa { target 1; max 100 }
}

image img { size 100MB; ram 1GB }

function f { image img; limits { ram 1GB }; body { sleep 1s } }

workload { invoke f poisson 100/s for minutes * 1min }
