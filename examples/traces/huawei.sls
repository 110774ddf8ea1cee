// Replaying the Huawei Cloud traces through the mappings of `formats/huawei2023.sls`
// and `formats/huawei2025.sls`: no reader of their own, only their columns' meaning.
// The samples are a few rows in the tables' published layouts.
include "formats/huawei2023.sls"
include "formats/huawei2025.sls"

platform {
  host gateway { speed 10Gf/s; cores 4; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node[1..2] { speed 2Gf/s; cores 8; ram 16GB; disk "/" { size 100GB; read 1GBps; write 1GBps } }
  link lan[1..2] { bandwidth 10Gbps; latency 10us }
  route gateway <-> node[i] via lan[i]
}

serverless faas { head gateway:"/"; compute node[*]; container_startup 500ms; idle_timeout 1min }

image runtime { size 200MB; ram 100MB }

// Every trace function is made from one of these: its RAM limit and body
// take the row's memory and duration.
function request { image runtime; limits { ram trace.memory }; body { sleep trace.duration } }
function counted { image runtime; limits { ram 128MB }; body { sleep trace.duration } }

workload {
  replay huawei2025_requests "huawei/requests.csv" as request
  replay huawei2025_cold_starts "huawei/cold_starts.csv" as counted { duration lognormal(50ms, 0.5) }
  replay huawei2023_requests_minute "huawei/requests_minute_day_00.csv" as counted { duration 200ms }
}
