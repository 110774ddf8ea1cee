// A scripted client: a deployment's smoke test. It deploys (one call) and
// waits for it to finish, then sends 5 probes: each `invoke` returns as soon
// as the service accepts the request, so the five go out together and start
// 5 containers cold. After `wait`, two probes one at a time reuse them warm.
// It then stays idle for 3 min, past the service's 2 min idle timeout, and
// the last probe starts cold again. 9 invocations: 7 cold, 2 warm.
include "../common/cluster.sls"

serverless faas {
  head gateway:"/"
  compute node[1..2]
  container_startup 1.5s
  idle_timeout 2min
}

image app { size 400MB; ram 200MB; from registry }

function deploy { image app; limits { time 2min; ram 1GB }; body { read 100MB from objects; compute 20Gf } }
function probe { image app; limits { time 5s; ram 256MB }; body { sleep 40ms } }

workload {
  client {
    invoke deploy
    wait
    invoke probe count 5
    wait
    invoke probe
    wait
    invoke probe
    wait
    sleep 3min
    invoke probe
  }
}
