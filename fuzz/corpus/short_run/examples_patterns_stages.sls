// A multi-stage profile: a load test in the style of k6's stages. Warm up
// at 5/s for 1 min, ramp to 20/s over 2 min, hold the peak for 2 min, then
// ramp down to zero over 1 min; the stream ends with its last stage.
// Evenly paced, it sends 300 + 1,500 + 2,400 + 600 = 4,800 requests.
include "../common/cluster.sls"

serverless faas {
  head gateway:"/"
  compute node[1..4]
  container_startup 900ms
  idle_timeout 1min
}

image service { size 250MB; ram 150MB; from registry }

function checkout {
  image service
  limits { time 15s; ram 512MB }
  body { read 10kB from objects; compute normal(800Mf, 150Mf); sleep 30ms; write 1kB to objects }
}

workload {
  invoke checkout rate stages {
    5/s for 1min
    ramp(5/s -> 20/s) over 2min
    20/s for 2min
    ramp(20/s -> 0/s) over 1min
  }
}
