// A crowd of many functions waiting (found on the 10,000-application day
// under `balanced`): the first `last` minutes of the synthetic Azure day
// of 10,000 applications (bench/azure-many.sls's), rescaled to `rps`
// requests per second, onto 10 hosts of 4 cores and 8 GB. Past some 25
// requests/s the slots are all taken: thousands of applications wait at
// once, each arrival and each end a scheduling round.
//
//   python3 bench/gen_azure2019.py /tmp/azure10k 10000
//   sls run bench/crowd.sls -p trace=/tmp/azure10k -p rps=100/s --out OUT
// (`bench/crowd.sh` does both and times it at 25, 100 and 400 requests/s.)
param trace = "trace"
param rps = 100/s
param last = 2

platform {
  host gateway { speed 10Gf/s; cores 8; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node[1..10] {
    speed 1Gf/s; cores 4; ram 8GB
    disk "/" { size 100GB; read 1GBps; write 1GBps }
  }
  link lan[1..10] { bandwidth 10Gbps; latency 10us }
  route gateway <-> node[i] via lan[i]
}

serverless faas {
  head gateway:"/"
  compute node[*]
  scheduler fcfs
  container_startup 500ms
  idle_timeout 10min
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
    apps quantile(0.0..1.0, 10000)
    minutes 1..last
    rate rps
  }
}
