// Keep-alive policies written in the script. `ten_minutes` re-expresses
// the built-in `fixed(10min)` (the same bytes: tests/written_policies.rs);
// `adaptive` keeps a container for the 99th percentile of the function's
// idle times over the last `history` (a swept parameter), within 1 min and
// 2 h, and 20 min while it has none; `early` also unloads it after each
// invocation and prewarms it just before the 5th percentile of them.
param history = 4h
param policy = adaptive // fixed | ten_minutes | adaptive | early

keep_alive ten_minutes { idle 10min }

keep_alive adaptive {
  idle if(above(count(idle_times(function, history)), 0), clamp(percentile(idle_times(function, history), 99%) * 1.1, 1min, 2h), 20min)
}

keep_alive early {
  idle if(above(count(idle_times(function, history)), 2), percentile(idle_times(function, history), 99%) * 1.1, 20min)
  prewarm if(above(count(idle_times(function, history)), 2), percentile(idle_times(function, history), 5%) * 0.9, 0s)
}

platform {
  host gateway { speed 10Gf/s; cores 1; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  host node { speed 1Gf/s; cores 4; ram 16GB; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  link local { bandwidth 100MBps; latency 2us }
  route gateway <-> node via local
}

serverless faas {
  head gateway:"/"
  compute node
  container_startup 2s
  keep_alive policy
}

image runtime { size 100MB; ram 100MB }

function steady { image runtime; limits { ram 512MB }; body { sleep 1s } }
function bursty { image runtime; limits { ram 512MB }; body { sleep 1s } }

workload {
  invoke steady every 10min count 30
  invoke bursty poisson 1/min for 5h
}

sweep history in [1h, 4h]
