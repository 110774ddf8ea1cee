// Periodic invocations: the timers of a small back office. A health check
// every 2 s, 50 times (`count` bounds the number of arrivals: 50); an
// inventory sync whose period is drawn anew after each run, between 8 s and
// 12 s, for 10 min (about 60 runs); and a report every 5 min, starting at
// 30 s, three times, each run fanning out to 4 regions (`burst 4`: 12).
include "../common/cluster.sls"

serverless faas {
  head gateway:"/"
  compute node[1..2]
  container_startup 1s
  idle_timeout 1min
}

image ops { size 150MB; ram 80MB; from registry }
image analytics { size 900MB; ram 400MB; from registry }

function health { image ops; limits { time 5s; ram 128MB }; body { sleep 5ms } }

function sync {
  image ops
  limits { time 1min; ram 512MB }
  body { read uniform(1MB, 5MB) from objects; compute 2Gf; write 1MB to objects }
}

function report {
  image analytics
  limits { time 5min; ram 2GB }
  body { read 200MB from objects; compute 60Gf; write 5MB to objects }
}

workload {
  invoke health every 2s count 50
  invoke sync every uniform(8s, 12s) for 10min
  invoke report at 30s every 5min count 3 burst 4
}
