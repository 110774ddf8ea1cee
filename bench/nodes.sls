// Many nodes, each under load: 3 invocations a second per node for a
// minute, 1 s bodies, 10 slots a node, so no node stays empty and a
// policy that looks for the least loaded node finds no empty one. Found
// 2026-12-06: `least_loaded` scanned every free node per decision
// (quadratic in nodes); `bench/nodes.sh` times it at three sizes.
//
//   sls run bench/nodes.sls -p nodes=1000 --out OUT
param nodes = 1000

platform {
  host head { speed 10Gf/s; cores 8; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node[1..nodes] { speed 1Gf/s; cores 4; ram 16GB; disk "/" { size 100GB; read 1GBps; write 1GBps } }
  link l[1..nodes] { bandwidth 1GBps; latency 10us }
  route head <-> node[i] via l[i]
}

serverless faas {
  head head:"/"
  compute node[*]
  scheduler fcfs
  slots 10
  idle_timeout 1h
}

image img { size 0B; ram 100MB }

function f { image img; limits { ram 100MB }; body { sleep 1s } }

workload { invoke f poisson nodes * 3/s for 60s }
