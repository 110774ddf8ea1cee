// Ramps: a product launch. Sign-ups grow linearly from 1/s to 20/s over
// 4 min, evenly paced (`rate`), then hold at 20/s (a rate profile keeps its
// last value) until `for` ends at 5 min. The rate integrates to
// (1 + 20) / 2 x 240 + 20 x 60 = 3,720; paced arrivals come at the window's
// start and each time the integral grows by one more: 3,720 sign-ups.
// Welcome e-mails follow as a Poisson stream whose rate ramps down from
// 10/s to 0/s over 3 min, starting at 2 min: about 900. A profile that ends
// at 0/s ends the stream by itself; it needs no `for`.
include "../common/cluster.sls"

serverless faas {
  head gateway:"/"
  compute node[*]
  container_startup 700ms
  idle_timeout 5min
}

image web { size 220MB; ram 110MB; from registry }

function signup {
  image web
  limits { time 10s; ram 256MB }
  body { compute uniform(200Mf, 600Mf); write 2kB to objects }
}

function welcome { image web; limits { time 30s; ram 128MB }; body { sleep lognormal(150ms, 0.3) } }

workload {
  invoke signup rate ramp(1/s -> 20/s) over 4min for 5min
  invoke welcome at 2min poisson ramp(10/s -> 0/s) over 3min
}
