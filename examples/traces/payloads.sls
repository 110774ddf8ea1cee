// Payload sizes per invocation. A trace may give each request's size (the
// Huawei 2025 request tables' `requestBodySize`, in bytes): mapped, it
// replaces the service's `request_payload` for that invocation alone; the
// answers' sizes, which the table lacks, are drawn for each one. A
// hand-written invocation gives its own in `with`, fixed or random, as it
// gives its `trace.duration` (here drawn between 1 s and 3 s).
// A payload crosses the link between head and node: 5 ms + size / 1 Gbps (TCP-corrected).
include "formats/huawei2025.sls"

platform {
  host gateway { speed 10Gf/s; cores 4; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node[1..2] { speed 2Gf/s; cores 8; ram 16GB; disk "/" { size 100GB; read 1GBps; write 1GBps } }
  link wan[1..2] { bandwidth 1Gbps; latency 5ms }
  route gateway <-> node[i] via wan[i]
}

serverless faas {
  head gateway:"/"
  compute node[*]
  container_startup 500ms
  idle_timeout 1min
  request_payload 1KB // for invocations that give none
}

image runtime { size 200MB; ram 100MB }

function request { image runtime; limits { ram trace.memory }; body { sleep trace.duration } }
function upload { image runtime; limits { ram 256MB }; body { compute 1Gf } }
function sleeper { image runtime; limits { ram 128MB }; body { sleep trace.duration } }

workload {
  replay huawei2025_requests "huawei/requests.csv" as request {
    request_payload column("requestBodySize", 1B)
    response_payload exponential(20KB)
  }
  invoke upload every 2s count 10 with { request_payload uniform(1MB, 5MB); response_payload 1KB }
  invoke sleeper poisson(30/min) for 1min with { duration uniform(1s, 3s) }
}
