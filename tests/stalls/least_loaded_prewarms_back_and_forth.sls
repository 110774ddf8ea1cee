platform {
  host head { speed 10Gf/s; cores 8; disk "/" { size 100TB; read 10GBps; write 10GBps } }
  host node[1..1] { speed 1Gf/s; cores 1; ram 2GB; disk "/" { size 3GB; read 1GBps; write 1GBps } }
  link core { bandwidth 50MBps; latency 100us }
  link local[1..1] { bandwidth 100MBps; latency 10us }
  route head <-> node[i] via core, local[i]
}
storage repo on head:"/"
serverless faas {
  head head:"/"
  compute node[*]
  scheduler least_loaded
  container_startup 5000ms
  eviction greedy_dual
  keep_alive hybrid(10s, 200ms)
  image_downloads on
  slots 3
  autoscaler hpa { target 1; max 12; period 1s; stabilization 3s }
}
image i0 { size 0MB; ram 100MB; from repo }
image i1 { size 300MB; ram 400MB; from repo }
image i2 { size 1000MB; ram 600MB; from repo }
function f0 { image i1; app a0; limits { ram 700MB; concurrency 3; time 300ms }; body { sleep uniform(50ms, 3s) } }
function f1 { image i0; app a1; limits { ram 256MB; concurrency 3; time 1000ms }; body { sleep uniform(50ms, 3s) } }
function f2 { image i2; app a0; limits { ram 700MB; time 2000ms }; body { sleep uniform(50ms, 3s) } }
function f3 { image i0; app a1; limits { ram 256MB; time 300ms }; body { sleep uniform(50ms, 3s) } }
function f4 { image i1; app a0; limits { ram 700MB; time 1000ms }; body { sleep uniform(50ms, 3s) } }
workload {
  invoke f3 at 1756ms burst 21
  invoke f2 at 776ms burst 11
  invoke f1 at 1605ms burst 13
  invoke f0 at 1816ms burst 16
  invoke f0 poisson 5/s count 54
}
