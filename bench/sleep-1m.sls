// The service benchmark: 100 compute nodes, 1,000,000 invocations of sleep
// bodies spread over 20 functions, with cold starts (new containers, and
// containers expiring after 5 s idle) and warm starts.
//   cargo build --release && /usr/bin/time -v target/release/sls run bench/sleep-1m.sls --out /tmp/sleep-1m
param rate = 100/s
param span = 500s

platform {
  host gateway { speed 10Gf/s; cores 8; disk "/" { size 10TB; read 1GBps; write 1GBps } }
  host node[1..100] { speed 2Gf/s; cores 16; ram 64GB; disk "/" { size 1TB; read 500MBps; write 500MBps } }
  link lan[1..100] { bandwidth 10Gbps; latency 20us }
  route gateway <-> node[i] via lan[i]
}

serverless faas {
  head gateway:"/"
  compute node[*]
  container_startup 500ms
  idle_timeout 5s
}

image base { size 200MB; ram 100MB }

function f0 { image base; limits { ram 256MB }; body { sleep uniform(100ms, 900ms) } }
function f1 { image base; limits { ram 256MB }; body { sleep uniform(100ms, 900ms) } }
function f2 { image base; limits { ram 256MB }; body { sleep uniform(100ms, 900ms) } }
function f3 { image base; limits { ram 256MB }; body { sleep uniform(100ms, 900ms) } }
function f4 { image base; limits { ram 256MB }; body { sleep uniform(100ms, 900ms) } }
function f5 { image base; limits { ram 256MB }; body { sleep uniform(100ms, 900ms) } }
function f6 { image base; limits { ram 256MB }; body { sleep uniform(100ms, 900ms) } }
function f7 { image base; limits { ram 256MB }; body { sleep uniform(100ms, 900ms) } }
function f8 { image base; limits { ram 256MB }; body { sleep uniform(100ms, 900ms) } }
function f9 { image base; limits { ram 256MB }; body { sleep uniform(100ms, 900ms) } }
function f10 { image base; limits { ram 256MB }; body { sleep uniform(100ms, 900ms) } }
function f11 { image base; limits { ram 256MB }; body { sleep uniform(100ms, 900ms) } }
function f12 { image base; limits { ram 256MB }; body { sleep uniform(100ms, 900ms) } }
function f13 { image base; limits { ram 256MB }; body { sleep uniform(100ms, 900ms) } }
function f14 { image base; limits { ram 256MB }; body { sleep uniform(100ms, 900ms) } }
function f15 { image base; limits { ram 256MB }; body { sleep uniform(100ms, 900ms) } }
function f16 { image base; limits { ram 256MB }; body { sleep uniform(100ms, 900ms) } }
function f17 { image base; limits { ram 256MB }; body { sleep uniform(100ms, 900ms) } }
function f18 { image base; limits { ram 256MB }; body { sleep uniform(100ms, 900ms) } }
function f19 { image base; limits { ram 256MB }; body { sleep uniform(100ms, 900ms) } }

workload {
  invoke f0 poisson rate for span
  invoke f1 poisson rate for span
  invoke f2 poisson rate for span
  invoke f3 poisson rate for span
  invoke f4 poisson rate for span
  invoke f5 poisson rate for span
  invoke f6 poisson rate for span
  invoke f7 poisson rate for span
  invoke f8 poisson rate for span
  invoke f9 poisson rate for span
  invoke f10 poisson rate for span
  invoke f11 poisson rate for span
  invoke f12 poisson rate for span
  invoke f13 poisson rate for span
  invoke f14 poisson rate for span
  invoke f15 poisson rate for span
  invoke f16 poisson rate for span
  invoke f17 poisson rate for span
  invoke f18 poisson rate for span
  invoke f19 poisson rate for span
}
