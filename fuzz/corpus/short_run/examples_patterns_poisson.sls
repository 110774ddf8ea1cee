// Poisson arrivals: independent users of a photo-sharing API. Searches
// arrive at 15/s for 5 min (about 4,500), uploads at 2/s from 1 min to
// 4 min (about 360); the gaps are exponential, so arrivals cluster and
// thin out at random, unlike `rate`'s even pacing.
include "../common/cluster.sls"

serverless faas {
  head gateway:"/"
  compute node[*]
  container_startup 600ms
  idle_timeout 2min
}

image api { size 180MB; ram 90MB; from registry }

function search {
  image api
  limits { time 10s; ram 256MB }
  body { read 20kB from objects; compute lognormal(200Mf, 0.4) }
}

function upload {
  image api
  limits { time 1min; ram 512MB; ingress 20MB }
  body { compute 500Mf; write uniform(1MB, 8MB) to objects }
}

workload {
  invoke search poisson 15/s for 5min
  invoke upload at 1min poisson 2/s for 3min
}
