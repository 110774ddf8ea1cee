// A placement written in the script: `least_loaded` re-expressed. Each
// waiting invocation goes to the free node with the fewest busy slots (the
// first in node order on ties), exactly as the built-in decides:
// `sls run` with `-p policy=least_loaded` and `-p policy=fewest_busy`
// writes the same bytes (tests/written_policies.rs checks it).
param policy = fewest_busy // least_loaded | fewest_busy | roomiest

placement fewest_busy {
  score node = busy(node)
  pick min
}

// Another one: the node with the most free RAM, preferring nodes that
// already hold the image (worth 2GB of RAM here).
placement roomiest {
  score node = free_ram(node) + 2GB * has_image(node, function) - memory(function) * busy(node)
  pick max
}

platform {
  host gateway { speed 10Gf/s; cores 8; disk "/" { size 2TB; read 500MBps; write 500MBps } }
  host node[1..4] {
    speed 2Gf/s; cores 4; ram 16GB
    disk "/" { size 500GB; read 200MBps; write 200MBps }
  }
  link lan[1..4] { bandwidth 10Gbps; latency 50us }
  route gateway <-> node[i] via lan[i]
}

storage registry on gateway:"/"

serverless pool { head gateway:"/"; compute node[*]; scheduler policy; container_startup 800ms; idle_timeout 5min }

image pillow { size 120MB; ram 60MB; from registry }
image ffmpeg { size 300MB; ram 150MB; from registry }
image tesseract { size 500MB; ram 250MB; from registry }

function thumbnail { image pillow; limits { time 10s; ram 256MB }; body { compute exponential(200Mf) } }
function transcode { image ffmpeg; limits { time 60s; ram 1GB }; body { compute 4Gf } }
function ocr { image tesseract; limits { time 30s; ram 512MB }; body { compute 2Gf } }

workload {
  invoke thumbnail every 1s count 300
  invoke transcode every 2s count 150
  invoke ocr at 30s burst 40
}
