// A keep-alive study of 50 functions, written as families: function k is
// invoked 300^((k - 1) / 49) times a minute (from 1/min to 300/min, evenly
// spread on a log scale, as in keep-alive studies of Azure's functions),
// runs in an image of its own whose size grows with k, and shares the rest
// of its declaration with a template. Change the keep-alive with
// `-p keepalive=1min`. The compute hosts are named as WRENCH names them.
param keepalive = 10min
param minutes = 10

platform {
  host gateway { speed 10Gf/s; cores 1; disk "/" { size 5000GB; read 1GBps; write 1GBps } }
  host node[1..4] {
    named "ServerlessComputeNode{i}"
    speed 1Gf/s; cores 10; ram 64GB
    disk "/" { size 5000GiB; read 1GBps; write 1GBps }
  }
  link local[1..4] { bandwidth 1GBps; latency 2us }
  route gateway <-> node[i] via local[i]
}

storage repo on gateway:"/"

serverless faas {
  head gateway:"/"
  compute node[*]
  container_startup 500ms
  idle_timeout keepalive
}

image runtime[k in 1..50] { size 20MB + k * 1MB; ram 128MB; from repo }

function base {
  image runtime[1]
  limits { time 60s; ram 256MB }
  body { sleep uniform(100ms, 300ms); compute 100Mf }
}

function f[k in 1..50] extends base { image runtime[k] }

workload {
  invoke f[k in 1..50] rate 300^((k - 1) / 49) * 1/min for minutes * 1min
}
