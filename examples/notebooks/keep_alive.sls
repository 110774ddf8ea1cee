// The keep-alive study of examples/notebooks/keep_alive.ipynb: how long a
// service keeps an idle container trades cold starts against the memory
// it holds. Two hours of an Azure Functions 2019 trace (20 applications of
// middling popularity, arrivals spread as Poisson within each minute) on
// ten nodes, under five idle timeouts, four repetitions each. The notebook
// replays a larger synthetic trace (bench/gen_azure2019.py) with
// `-p trace=FOLDER`; by default the small one of examples/traces.
param trace = "../traces/azure2019"
param idle_timeout = 10min
param seed = 1

platform {
  host gateway { speed 10Gf/s; cores 8; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node[1..10] { speed 2Gf/s; cores 8; ram 16GB; disk "/" { size 100GB; read 1GBps; write 1GBps } }
  link lan[1..10] { bandwidth 10Gbps; latency 10us }
  route gateway <-> node[i] via lan[i]
}

serverless faas {
  head gateway:"/"
  compute node[*]
  container_startup 500ms
  idle_timeout idle_timeout
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
    apps quantile(0.5..0.9, 20)
    spread poisson
  }
}

sweep idle_timeout in [0s, 1min, 5min, 10min, 20min] repeat 4
