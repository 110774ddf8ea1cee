// WRENCH test: ServerlessBasicTests.cpp :: FunctionInvocation (8 greedy combinations: FCFS/Random(0) x LRU/Fewest x EvictionAverse/Random(0) plan)
//              and :: PreRegisteredFunctionInvocation (same function registered before the simulation starts)
// Defaults (startup 0, idle timeout 0); sleep 5. Not done at t=1; done after the wait, success, no cause, output "DONE".
// sls dates use an unbuffered user storage (WRENCH: 50 MB buffer, slightly different download; dates not asserted).
// wrench-asserts: not done at t=1; done; succeeded; no failure cause; output == "DONE"
// expect: inv 0 submit 0 dispatch 7.4126 start 7.4126 end 12.4126 node ServerlessComputeNode1 kind cold ok
// also-expected-with: any greedy combination; scheduler fcfs | random(0) | balanced

platform {
  host UserHost { speed 10Gf/s; cores 1; disk "/" { size 5000GiB; read 100MBps; write 100MBps } }
  host ServerlessHeadNode { speed 10Gf/s; cores 1; ram 16GB; disk "/" { size 5000GiB; read 100MBps; write 100MBps } }
  host ServerlessComputeNode1 { speed 50Gf/s; cores 10; ram 64GB; disk "/" { size 5000GiB; read 100MBps; write 100MBps } }
  link wide_area { bandwidth 20MBps; latency 20us }
  link local_area { bandwidth 100Gbps; latency 1ns }
  route UserHost <-> ServerlessHeadNode via wide_area
  route UserHost <-> ServerlessComputeNode1 via wide_area, wide_area
  route ServerlessHeadNode <-> ServerlessComputeNode1 via local_area
  network lv08
}

// WRENCH's user storage has a 50 MB buffer (pipelined copy); sls storage is unbuffered (one stream).
storage user on UserHost:"/"

serverless faas {
  head ServerlessHeadNode:"/"
  compute ServerlessComputeNode1
  scheduler greedy { order fcfs; eviction lru; plan eviction_averse }
}

image my_image { size 100MB; ram 100MB; from user }

function Function_1 { image my_image; limits { time 10s; disk 2000MB; ram 8000MB; ingress 10MB; egress 1MB }; body { sleep 5s; output 4B } }

workload {
  invoke Function_1 at 0s
}
