// A backlog that only grows (found by replaying an Azure day rescaled far
// past its platform): `invocations` arrivals one microsecond apart onto one
// node of 8 slots, bodies of a second. Nearly all of them wait at once, so
// the run's peak memory is what an invocation in flight costs, and past
// `--max-in-flight` (10,000,000) the run stops with
// sls::run::too_many_in_flight rather than take the machine's memory.
//
//   sls run bench/backlog.sls -p invocations=4000000 --invocations none --out OUT
// (`bench/backlog.sh` runs it at 1, 2, 4 and 8 million, then past the bound.)
param invocations = 1000000

platform {
  host gateway { speed 10Gf/s; cores 1; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node { speed 1Gf/s; cores 1; ram 8GB; disk "/" { size 100GB; read 1GBps; write 1GBps } }
  link lan { bandwidth 10Gbps; latency 10us }
  route gateway <-> node via lan
}

serverless faas {
  head gateway:"/"
  compute node
  scheduler fcfs
  container_startup 0s
  idle_timeout 10min
  image_downloads off
}

image runtime { size 0B; ram 0B }

function work {
  image runtime
  limits { ram 1GB }
  body { sleep 1s }
}

workload {
  invoke work on faas every 1us count invocations
}
