// Replaying the Azure Functions 2021 layout (one row per invocation:
// app, function, end time, duration) with declared functions: each trace
// function runs the function of the same name.
platform {
  host gateway { speed 10Gf/s; cores 4; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node[1..2] { speed 2Gf/s; cores 4; ram 16GB; disk "/" { size 100GB; read 1GBps; write 1GBps } }
  link lan[1..2] { bandwidth 10Gbps; latency 10us }
  route gateway <-> node[i] via lan[i]
}

serverless faas { head gateway:"/"; compute node[*]; container_startup 300ms; idle_timeout 1min }

image shop { size 200MB; ram 100MB }

function template {
  image shop
  limits { ram 256MB }
  body { sleep trace.duration }
}

workload {
  replay azure2021 "azure2021_sample.csv" as template
}
