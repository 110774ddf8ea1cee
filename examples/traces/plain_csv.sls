// Replaying anyone's trace as a plain CSV (`time,function,duration,memory`)
// onto functions declared here: the trace's function names pick them.
platform {
  host gateway { speed 10Gf/s; cores 4; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host worker { speed 3Gf/s; cores 8; ram 32GB; disk "/" { size 500GB; read 1GBps; write 1GBps } }
  link lan { bandwidth 10Gbps; latency 10us }
  route gateway <-> worker via lan
}

serverless faas { head gateway:"/"; compute worker; container_startup 1s; idle_timeout 30s }

image tools { size 300MB; ram 150MB }

function resize { image tools; limits { ram 512MB }; body { compute 2Gf } }
function ocr { image tools; limits { ram 2GB }; body { compute 9Gf } }

workload {
  replay csv "plain_sample.csv"
}
