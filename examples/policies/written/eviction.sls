// Eviction policies written in the script: `written_greedy_dual` is
// FaasCache's greedy-dual (the built-in `greedy_dual`) and `oldest_idle`
// LRU (the built-in `lru`); each writes the same bytes as its built-in
// (tests/written_policies.rs checks it). A node's 6 GB cannot hold every
// function's container with the images, so cold starts evict.
// Greedy-dual's priority: the node's clock as of the function's last use
// (`inflation`, raised to the highest priority evicted at each eviction),
// plus its uses x the cost of a cold start (start-up and image load) per
// byte of RAM; `* 1Bps` makes that a plain number as the clock is (the
// paper adds them), `max(.., 1B)` keeps a function without RAM a byte.
param policy = written_greedy_dual // greedy_dual | written_greedy_dual | lru | oldest_idle

eviction written_greedy_dual {
  priority c = inflation(c) + invocations(function) * (cold_start_cost(function) + load_time(c)) / max(ram(c), 1B) * 1Bps
}

eviction oldest_idle {
  priority c = idle_since(c)
}

platform {
  host gateway { speed 10Gf/s; cores 8; disk "/" { size 2TB; read 500MBps; write 500MBps } }
  host node { speed 2Gf/s; cores 8; ram 6GB; disk "/" { size 500GB; read 200MBps; write 200MBps } }
  link lan { bandwidth 10Gbps; latency 50us }
  route gateway <-> node via lan
}

serverless faas { head gateway:"/"; compute node; eviction policy; container_startup 1s; idle_timeout 1h; image_downloads off }

image small { size 100MB; ram 100MB }
image medium { size 400MB; ram 400MB }
image big { size 900MB; ram 900MB }

function api { image small; limits { ram 256MB }; body { sleep 300ms } }
function auth { image small; limits { ram 128MB }; body { sleep 100ms } }
function notify { image small; limits { ram 256MB }; body { sleep 200ms } }
function resize { image medium; limits { ram 512MB }; body { sleep 1s } }
function etl { image medium; limits { ram 1GB }; body { sleep 5s } }
function report { image medium; limits { ram 1500MB }; body { sleep 10s } }
function ml { image big; limits { ram 2GB }; body { sleep 3s } }
function backup { image big; limits { ram 3GB }; body { sleep 30s } }

workload {
  invoke api every 2s count 1800
  invoke auth every 5s count 720
  invoke notify every 11s count 327
  invoke resize every 7s count 514
  invoke etl every 20s count 180
  invoke report every 3min count 20
  invoke ml every 45s count 80
  invoke backup every 10min count 6
}
