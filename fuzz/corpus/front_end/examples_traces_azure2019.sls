// Replaying the Azure Functions 2019 trace layout (a synthetic one-day trace
// of three applications, written by bench/gen_azure2019.py): the first two
// hours, arrivals spread as Poisson within each minute, every trace function
// made from one template that sleeps for the trace's duration and reserves
// the application's memory.
param trace = "azure2019"

platform {
  host gateway { speed 10Gf/s; cores 8; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node[1..20] { speed 2Gf/s; cores 4; ram 4096MB; disk "/" { size 100GB; read 1GBps; write 1GBps } }
  link lan[1..20] { bandwidth 10Gbps; latency 10us }
  route gateway <-> node[i] via lan[i]
}

serverless faas {
  head gateway:"/"
  compute node[*]
  container_startup 500ms
  idle_timeout 10min
  image_downloads off
}

image runtime { size 100MB; ram 0B }

function from_trace {
  image runtime
  limits { ram trace.memory }
  body { sleep trace.duration }
}

workload {
  replay azure2019 trace as from_trace {
    days 1
    minutes 1..120
    apps top(3)
    spread poisson
  }
}
