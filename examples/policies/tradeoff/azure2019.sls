// Serverless in the Wild's keep-alive trade-off (Shahrad et al., ATC'20,
// figure 15), in shape: cold starts against wasted memory time for fixed
// windows of 10, 20, 60 and 120 minutes and the hybrid histogram policy,
// on a day of the synthetic Azure Functions 2019 trace. The platform is
// large enough that nothing is ever evicted: what differs between the
// points is the keep-alive policy alone. `run.sh` next to this file makes
// the trace, runs the sweep and prints the table of docs/policies.md.
//
//   python3 /work/shared/tools/gen_azure2019.py target/keep-alive-azure 400
//   sls run examples/policies/tradeoff/azure2019.sls -p trace=\"target/keep-alive-azure\" --out OUT
param trace = "../../traces/azure2019"
param window = fixed(10min)

platform {
  host gateway { speed 10Gf/s; cores 8; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node[1..10] {
    speed 1Gf/s; cores 1000; ram 10TB
    disk "/" { size 100TB; read 1GBps; write 1GBps }
  }
  link lan[1..10] { bandwidth 10Gbps; latency 10us }
  route gateway <-> node[i] via lan[i]
}

serverless faas {
  head gateway:"/"
  compute node[*]
  scheduler fcfs
  container_startup 500ms
  keep_alive window
  image_downloads off
}

image runtime { size 0B; ram 0B }

function app {
  image runtime
  limits { ram trace.memory }
  body { sleep trace.duration }
}

workload {
  replay azure2019 trace as app {
    days 1
    apps quantile(0.0..0.75, 200)
    spread poisson
  }
}

sweep window in [fixed(10min), fixed(20min), fixed(60min), fixed(120min), hybrid]
