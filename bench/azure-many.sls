// The Azure benchmark (bench/azure-balanced.sls) with many functions: `apps`
// applications spread over the whole popularity range of a synthetic day of
// 10,000 applications (about 20,000 functions), minutes 1..`last`,
// rescaled to `rps` requests per second. One container per application on
// 100 hosts of 4096 MB: with thousands of applications, cold starts and
// evictions are frequent. A shorter `idle` keep-alive gives a few
// applications as many cold starts as thousands have (`bench/azure-many.sh`
// prices a cold start that way).
//
//   python3 bench/gen_azure2019.py /tmp/azure10k 10000
//   sls run bench/azure-many.sls -p trace=/tmp/azure10k --out OUT
// (`bench/azure-many.sh` does both and times the series.)
param trace = "trace"
param rps = 50/s
param apps = 10000
param last = 1440
param idle = 10min

platform {
  host gateway { speed 10Gf/s; cores 8; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node[1..100] {
    speed 1Gf/s; cores 16; ram 64GB
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
  idle_timeout idle
  image_downloads off
  sandbox per_application
}

image runtime { size 0B; ram 0B }

function app {
  image runtime
  limits { ram trace.memory }
  body { sleep trace.duration }
}

workload {
  replay azure2019 trace as app {
    apps quantile(0.0..1.0, apps)
    minutes 1..last
    rate rps
  }
}
