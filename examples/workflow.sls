// A video-analytics workflow: split a clip, analyse the chunks in parallel
// (fan-out), merge the results (fan-in), and either publish or retry a
// failed analysis. Outputs flow along the edges.
include "common/cluster.sls"

serverless faas {
  head gateway:"/"
  compute node[*]
  scheduler fcfs
  container_startup 800ms
  idle_timeout 10min
}

image ffmpeg { size 300MB; ram 120MB; from registry }
image vision { size 1.2GB; ram 900MB; from registry }

function split {
  image ffmpeg
  limits { time 30s; ram 512MB; disk 2GB }
  body { read 40MB from objects; compute 8Gf; output 40MB }
}
function detect { image vision; limits { ram 2GB }; body { compute uniform(20Gf, 40Gf); output 200kB } }
function classify { image vision; limits { ram 2GB }; body { compute lognormal(15Gf, 0.3); output 50kB } }
function track { image vision; limits { ram 2GB }; body { compute 25Gf; output 100kB } }
function merge { image ffmpeg; limits { ram 512MB }; body { compute 2Gf; output 10kB } }
function publish { image ffmpeg; body { write 10kB to objects } }
function retry { image ffmpeg; body { sleep 2s } }

workflow analyse {
  split -> [detect, classify, track] -> merge
  merge -> either [publish 95%, retry 5%]
}

workload {
  invoke analyse every 5s for 10min
}
