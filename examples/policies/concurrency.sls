// Containers that serve several invocations at once: the same load on two
// services, one container per invocation in flight (`single`) and up to 8
// (`shared`, Knative's `containerConcurrency`, OpenWhisk's intra-container
// concurrency). 20 requests a second for 2 minutes (2400 a service), each
// sleeping 1 s: about 20 in flight.
// - `single` starts a container for each invocation that finds none idle:
//   33 containers, 1774 GB-s reserved (528 of them idle);
// - `shared` sends each invocation to the oldest busy container running
//   fewer than 8 and starts a container only when all are full: 13
//   containers, 391 GB-s reserved (201 idle). The 62 arrivals of the
//   first 3.05 s, waiting for the image to reach the node, start 8 of
//   them at once (62 / 8, rounded up); an invocation that joins a container still starting waits for it (a
//   warm start whose startup is `container`).
// The bodies of a container still share the node's cores (here they only
// sleep). Try `-p share=1` (the same as `single`) or `-p share=20`.
param share = 8

platform {
  host gateway { speed 10Gf/s; cores 1; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  host node[1..2] { speed 1Gf/s; cores 32; ram 64GB; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  link local[1..2] { bandwidth 1GBps; latency 2us }
  route gateway <-> node[i] via local[i]
}

serverless single {
  head gateway:"/"
  compute node[1]
  container_startup 1s
  idle_timeout 30s
}

serverless shared {
  head gateway:"/"
  compute node[2]
  container_startup 1s
  idle_timeout 30s
}

image runtime { size 100MB; ram 100MB }

function api { image runtime; limits { ram 512MB }; body { sleep 1s } }
function api_shared extends api { limits { concurrency share } }

workload {
  invoke api on single every 50ms count 2400
  invoke api_shared on shared every 50ms count 2400
}
