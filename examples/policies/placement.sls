// The placement policies side by side: five services of four nodes each,
// one per policy, under the same workload (three functions, each with its
// own image). Each service receives 300 + 150 + 40 = 490 invocations,
// 2450 in all, and all succeed. The burst of 40 `ocr` fills all 16 slots
// of every pool, so most cold starts are the same everywhere: 45 (fcfs),
// 42 (least_loaded), 44 (round_robin), 40 (openwhisk, each function kept
// on its home node), 43 (consistent_hash). See docs/policies.md.
platform {
  host gateway { speed 10Gf/s; cores 8; disk "/" { size 2TB; read 500MBps; write 500MBps } }
  host node[1..20] {
    speed 2Gf/s; cores 4; ram 16GB
    disk "/" { size 500GB; read 200MBps; write 200MBps }
  }
  link lan[1..20] { bandwidth 10Gbps; latency 50us }
  route gateway <-> node[i] via lan[i]
}

storage registry on gateway:"/"

serverless fcfs_pool { head gateway:"/"; compute node[1..4]; scheduler fcfs; container_startup 800ms; idle_timeout 5min }
serverless least_pool { head gateway:"/"; compute node[5..8]; scheduler least_loaded; container_startup 800ms; idle_timeout 5min }
serverless turns_pool { head gateway:"/"; compute node[9..12]; scheduler round_robin; container_startup 800ms; idle_timeout 5min }
serverless whisk_pool { head gateway:"/"; compute node[13..16]; scheduler openwhisk; container_startup 800ms; idle_timeout 5min }
serverless ring_pool { head gateway:"/"; compute node[17..20]; scheduler consistent_hash(1.25); container_startup 800ms; idle_timeout 5min }

image pillow { size 120MB; ram 60MB; from registry }
image ffmpeg { size 300MB; ram 150MB; from registry }
image tesseract { size 500MB; ram 250MB; from registry }

function thumbnail { image pillow; limits { time 10s; ram 256MB }; body { compute exponential(200Mf) } }
function transcode { image ffmpeg; limits { time 60s; ram 1GB }; body { compute 4Gf } }
function ocr { image tesseract; limits { time 30s; ram 512MB }; body { compute 2Gf } }

workload {
  invoke thumbnail on fcfs_pool every 1s count 300
  invoke transcode on fcfs_pool every 2s count 150
  invoke ocr on fcfs_pool at 30s burst 40
  invoke thumbnail on least_pool every 1s count 300
  invoke transcode on least_pool every 2s count 150
  invoke ocr on least_pool at 30s burst 40
  invoke thumbnail on turns_pool every 1s count 300
  invoke transcode on turns_pool every 2s count 150
  invoke ocr on turns_pool at 30s burst 40
  invoke thumbnail on whisk_pool every 1s count 300
  invoke transcode on whisk_pool every 2s count 150
  invoke ocr on whisk_pool at 30s burst 40
  invoke thumbnail on ring_pool every 1s count 300
  invoke transcode on ring_pool every 2s count 150
  invoke ocr on ring_pool at 30s burst 40
}
