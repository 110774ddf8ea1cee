// The eviction policies side by side: five one-node services, one per
// policy, under the same hour of work (eight functions, periodic). Each
// node's 6 GB cannot hold every function's container with the images
// (about 10 GB), so a cold start on a full node evicts idle containers;
// containers are otherwise kept an hour (FaasCache's setting: everything
// stays warm until memory is needed). A cold start's cost differs by
// image: 1 s of start-up plus loading the image from the node's disk at
// 200 MB/s (small 0.5 s, medium 2 s, big 4.5 s), which greedy_dual and
// freq weigh. Each service receives 1800 + 720 + 327 + 514 + 180 + 20 +
// 80 + 6 = 3647 invocations, 18235 in all, and all succeed. Cold starts:
// lru 357, ram 361, greedy_dual 457, freq 492, size 461.
// See docs/policies.md (Eviction).
platform {
  host gateway { speed 10Gf/s; cores 8; disk "/" { size 2TB; read 500MBps; write 500MBps } }
  host node[1..5] {
    speed 2Gf/s; cores 8; ram 6GB
    disk "/" { size 500GB; read 200MBps; write 200MBps }
  }
  link lan[1..5] { bandwidth 10Gbps; latency 50us }
  route gateway <-> node[i] via lan[i]
}

serverless lru_node { head gateway:"/"; compute node[1]; eviction lru; container_startup 1s; idle_timeout 1h; image_downloads off }
serverless ram_node { head gateway:"/"; compute node[2]; eviction ram; container_startup 1s; idle_timeout 1h; image_downloads off }
serverless gd_node { head gateway:"/"; compute node[3]; eviction greedy_dual; container_startup 1s; idle_timeout 1h; image_downloads off }
serverless freq_node { head gateway:"/"; compute node[4]; eviction freq; container_startup 1s; idle_timeout 1h; image_downloads off }
serverless size_node { head gateway:"/"; compute node[5]; eviction size; container_startup 1s; idle_timeout 1h; image_downloads off }

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
  invoke api on lru_node every 2s count 1800
  invoke auth on lru_node every 5s count 720
  invoke notify on lru_node every 11s count 327
  invoke resize on lru_node every 7s count 514
  invoke etl on lru_node every 20s count 180
  invoke report on lru_node every 3min count 20
  invoke ml on lru_node every 45s count 80
  invoke backup on lru_node every 10min count 6
  invoke api on ram_node every 2s count 1800
  invoke auth on ram_node every 5s count 720
  invoke notify on ram_node every 11s count 327
  invoke resize on ram_node every 7s count 514
  invoke etl on ram_node every 20s count 180
  invoke report on ram_node every 3min count 20
  invoke ml on ram_node every 45s count 80
  invoke backup on ram_node every 10min count 6
  invoke api on gd_node every 2s count 1800
  invoke auth on gd_node every 5s count 720
  invoke notify on gd_node every 11s count 327
  invoke resize on gd_node every 7s count 514
  invoke etl on gd_node every 20s count 180
  invoke report on gd_node every 3min count 20
  invoke ml on gd_node every 45s count 80
  invoke backup on gd_node every 10min count 6
  invoke api on freq_node every 2s count 1800
  invoke auth on freq_node every 5s count 720
  invoke notify on freq_node every 11s count 327
  invoke resize on freq_node every 7s count 514
  invoke etl on freq_node every 20s count 180
  invoke report on freq_node every 3min count 20
  invoke ml on freq_node every 45s count 80
  invoke backup on freq_node every 10min count 6
  invoke api on size_node every 2s count 1800
  invoke auth on size_node every 5s count 720
  invoke notify on size_node every 11s count 327
  invoke resize on size_node every 7s count 514
  invoke etl on size_node every 20s count 180
  invoke report on size_node every 3min count 20
  invoke ml on size_node every 45s count 80
  invoke backup on size_node every 10min count 6
}
