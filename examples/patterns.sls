// Every invocation pattern at once, each stream with its own random
// generator: a single burst, a fixed period, Poisson arrivals, a paced ramp,
// a Poisson multi-stage profile and a closed model of interactive users.
platform {
  host gateway { speed 4Gf/s; cores 4; disk "/" { size 1TB; read 300MBps; write 300MBps } }
  host node[1..16] {
    speed 2Gf/s; cores 32; ram 128GB
    disk "/" { size 2TB; read 500MBps; write 500MBps }
  }
  link fabric[1..16] { bandwidth 25Gbps; latency 20us }
  route gateway <-> node[i] via fabric[i]
}

serverless faas {
  head gateway:"/"
  compute node[*]
  container_startup 500ms
  idle_timeout 5min
  processing_overhead 1ms
}

image node18 { size 180MB; ram 90MB }

function api { image node18; limits { time 10s; ram 128MB }; body { sleep normal(80ms, 20ms) } }
function report { image node18; limits { time 5min; ram 1GB }; body { compute 40Gf } }
function thumb { image node18; limits { ram 256MB }; body { compute uniform(1Gf, 3Gf); write 200kB } }

workload {
  invoke report at 30s burst 50
  invoke report every 1min count 10
  invoke api poisson 200/s for 10min
  invoke thumb ramp(1/s -> 100/s) over 5min for 10min
  invoke api poisson stages {
    50/s for 2min
    ramp(50/s -> 400/s) over 3min
    400/s for 1min
    ramp(400/s -> 50/s) over 1min
  }
  invoke api closed 25 users think exponential(3s) for 10min
}
