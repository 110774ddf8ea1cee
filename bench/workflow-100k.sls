// The workflow benchmark: 100,000 instances of a 10-function fan-out /
// fan-in workflow (one function, eight in parallel, one joining them) on
// 100 hosts, a million invocations in all, with outputs passed along every
// edge through the hosts' local stores or the global one.
//   bench/timed.sh bench/workflow-100k.sls
param rate = 1000/s

platform {
  host gateway { speed 10Gf/s; cores 8; disk "/" { size 10TB; read 1GBps; write 1GBps } }
  host node[1..100] { speed 2Gf/s; cores 16; ram 64GB; disk "/" { size 1TB; read 500MBps; write 500MBps } }
  link lan[1..100] { bandwidth 10Gbps; latency 20us }
  route gateway <-> node[i] via lan[i]
}

serverless faas {
  head gateway:"/"
  compute node[*]
  container_startup 300ms
  idle_timeout 1min
  data local { latency 20us; bandwidth 5GBps }
  data global { latency 1ms; bandwidth 1GBps }
}

image base { size 0B }

function split { image base; body { sleep 5ms; output 100kB } }
function work1 { image base; body { sleep uniform(10ms, 50ms); output 10kB } }
function work2 { image base; body { sleep uniform(10ms, 50ms); output 10kB } }
function work3 { image base; body { sleep uniform(10ms, 50ms); output 10kB } }
function work4 { image base; body { sleep uniform(10ms, 50ms); output 10kB } }
function work5 { image base; body { sleep uniform(10ms, 50ms); output 10kB } }
function work6 { image base; body { sleep uniform(10ms, 50ms); output 10kB } }
function work7 { image base; body { sleep uniform(10ms, 50ms); output 10kB } }
function work8 { image base; body { sleep uniform(10ms, 50ms); output 10kB } }
function join { image base; body { sleep 5ms } }

workflow fan {
  split -> [work1, work2, work3, work4, work5, work6, work7, work8] -> join
}

workload {
  invoke fan poisson rate for 100s
}
