// What a run would cost on AWS Lambda: the included price list bills the
// memory-time of every invocation, its request, the bytes its body reads and
// writes over the network, and (at 0 on demand) idle containers' memory.
// The bill is in the printed summary and `summary.json`, per function, per
// service and in total; `sls run --cost PRICES` overrides it for one run.
include "common/cluster.sls"
include "common/aws_lambda.sls"

serverless faas {
  head gateway:"/"
  compute node[1..2]
  idle_timeout 30s
}

image api { size 200MB; ram 100MB; from registry }

function thumbnail {
  image api
  limits { ram 512MB; time 10s }
  body {
    read 4MB from objects
    compute 2Gf
    write 500kB to objects
  }
}

function search {
  image api
  limits { ram 2GB }
  body { sleep exponential(300ms) }
}

workload {
  invoke thumbnail poisson 5/s for 2min
  invoke search every 2s for 2min
}
