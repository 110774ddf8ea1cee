// The scenario of the best-known Rust FaaS simulator's benchmark: 100 hosts
// of 4 cores and 4096 MB, one container per application holding the app's
// memory, 0.5 s container start-up, 10 min idle timeout, no image transfer
// cost, CPU contention ignored (bodies sleep for the trace's durations), 24
// simulated hours of the Azure Functions 2019 layout restricted to 30 apps of
// mid popularity and rescaled to `rps` requests per second.
//
//   python3 bench/gen_azure2019.py /tmp/azure 2000
//   sls run bench/azure-balanced.sls -p trace=/tmp/azure -p rps=10/s --out OUT
// (`bench/azure.sh` does both and times 10, 50 and 100 requests per second.)
param trace = "trace"
param rps = 10/s

platform {
  host gateway { speed 10Gf/s; cores 8; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node[1..100] {
    speed 1Gf/s; cores 4; ram 4096MB
    disk "/" { size 100GB; read 1GBps; write 1GBps }
  }
  link lan[1..100] { bandwidth 10Gbps; latency 10us }
  route gateway <-> node[i] via lan[i]
}

serverless faas {
  head gateway:"/"
  compute node[*]
  scheduler fcfs
  container_startup 500ms
  idle_timeout 10min
  image_downloads off
  sandbox per_application // one container per application
}

image runtime { size 0B; ram 0B } // no image transfer cost

function app {
  image runtime
  limits { ram trace.memory }   // the application's memory
  body { sleep trace.duration } // no CPU contention
}

workload {
  replay azure2019 trace as app {
    apps quantile(0.4..0.6, 30)
    rate rps
  }
}
