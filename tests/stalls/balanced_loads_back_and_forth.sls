platform {
  host head { speed 10Gf/s; cores 8; disk "/" { size 100TB; read 10GBps; write 10GBps } }
  host node[1..3] { speed 1Gf/s; cores 4; ram 2GB; disk "/" { size 3GB; read 1GBps; write 1GBps } }
  link core { bandwidth 1000MBps; latency 100us }
  link local[1..3] { bandwidth 100MBps; latency 10us }
  route head <-> node[i] via core, local[i]
}
storage repo on head:"/"
serverless faas {
  head head:"/"
  compute node[*]
  scheduler balanced
  container_startup 200ms
    idle_timeout 0ms
  autoscaler hpa { target 1; max 12; period 1s; stabilization 3s }
}
image i0 { size 0MB; ram 100MB; from repo }
image i1 { size 300MB; ram 400MB; from repo }
image i2 { size 1000MB; ram 600MB; from repo }
function f0 { image i0; app a0; limits { ram 256MB; time 4000ms }; body { sleep uniform(50ms, 3s) } }
function f2 { image i0; app a0; limits { ram 256MB; time 1000ms }; body { sleep uniform(50ms, 3s) } }
function f3 { image i0; app a1; limits { ram 256MB; time 4000ms }; body { sleep uniform(50ms, 3s) } }
function f5 { image i1; app a1; limits { ram 128MB; time 1000ms }; body { sleep uniform(50ms, 3s) } }
function f6 { image i0; app a0; limits { ram 700MB; time 4000ms }; body { sleep uniform(50ms, 3s) } }
function f7 { image i1; app a1; limits { ram 700MB; time 2000ms }; body { sleep uniform(50ms, 3s) } }
function f8 { image i0; app a0; limits { ram 128MB; time 1000ms }; body { sleep uniform(50ms, 3s) } }
function f9 { image i1; app a1; limits { ram 700MB; time 4000ms }; body { sleep uniform(50ms, 3s) } }
function f13 { image i2; app a1; limits { ram 256MB; time 2000ms }; body { sleep uniform(50ms, 3s) } }
function f14 { image i1; app a0; limits { ram 700MB; time 1000ms }; body { sleep uniform(50ms, 3s) } }
function f19 { image i0; app a1; limits { ram 128MB; time 2000ms }; body { sleep uniform(50ms, 3s) } }
function f20 { image i0; app a0; limits { ram 128MB; time 1000ms }; body { sleep uniform(50ms, 3s) } }
function f22 { image i0; app a0; limits { ram 700MB; time 2000ms }; body { sleep uniform(50ms, 3s) } }
function f25 { image i1; app a1; limits { ram 256MB; time 2000ms }; body { sleep uniform(50ms, 3s) } }
function f30 { image i0; app a0; limits { ram 256MB; time 4000ms }; body { sleep uniform(50ms, 3s) } }
function f31 { image i0; app a1; limits { ram 128MB; time 2000ms }; body { sleep uniform(50ms, 3s) } }
function f32 { image i2; app a0; limits { ram 256MB; time 1000ms }; body { sleep uniform(50ms, 3s) } }
function f37 { image i2; app a1; limits { ram 256MB; time 2000ms }; body { sleep uniform(50ms, 3s) } }
function f39 { image i2; app a1; limits { ram 700MB; time 4000ms }; body { sleep uniform(50ms, 3s) } }
function f40 { image i0; app a0; limits { ram 700MB; time 2000ms }; body { sleep uniform(50ms, 3s) } }
function f41 { image i0; app a1; limits { ram 700MB; time 1000ms }; body { sleep uniform(50ms, 3s) } }
function f44 { image i0; app a0; limits { ram 128MB; time 1000ms }; body { sleep uniform(50ms, 3s) } }
function f46 { image i2; app a0; limits { ram 128MB; time 2000ms }; body { sleep uniform(50ms, 3s) } }
function f52 { image i0; app a0; limits { ram 700MB; time 2000ms }; body { sleep uniform(50ms, 3s) } }
function f53 { image i0; app a1; limits { ram 256MB; time 1000ms }; body { sleep uniform(50ms, 3s) } }
function f58 { image i1; app a0; limits { ram 700MB; time 2000ms }; body { sleep uniform(50ms, 3s) } }
function f69 { image i0; app a1; limits { ram 700MB; time 4000ms }; body { sleep uniform(50ms, 3s) } }
function f74 { image i1; app a0; limits { ram 128MB; time 1000ms }; body { sleep uniform(50ms, 3s) } }
workload {
  invoke f58 at 1009ms burst 2
  invoke f44 at 70ms burst 1
  invoke f39 at 829ms burst 1
  invoke f3 at 1491ms burst 3
  invoke f14 at 1485ms burst 1
  invoke f5 at 1436ms burst 1
  invoke f32 at 1365ms burst 2
  invoke f25 at 826ms burst 3
  invoke f74 at 1265ms burst 1
  invoke f8 at 1447ms burst 1
  invoke f20 at 53ms burst 2
  invoke f40 at 673ms burst 2
  invoke f13 at 444ms burst 1
  invoke f25 at 379ms burst 3
  invoke f5 at 150ms burst 2
  invoke f7 at 327ms burst 1
  invoke f31 at 916ms burst 2
  invoke f6 at 830ms burst 1
  invoke f2 at 1039ms burst 1
  invoke f6 at 1296ms burst 2
  invoke f41 at 183ms burst 1
  invoke f58 at 433ms burst 1
  invoke f13 at 589ms burst 1
  invoke f19 at 297ms burst 1
  invoke f9 at 280ms burst 1
  invoke f69 at 625ms burst 1
  invoke f30 at 616ms burst 1
  invoke f39 at 353ms burst 3
  invoke f52 at 505ms burst 3
  invoke f46 at 1332ms burst 1
  invoke f22 at 212ms burst 2
  invoke f53 at 285ms burst 1
  invoke f37 at 516ms burst 2
  invoke f0 at 1230ms burst 1
  invoke f0 at 246ms burst 1
  invoke f0 at 95ms burst 13
}
