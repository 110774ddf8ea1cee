// WRENCH test: ServerlessBasicTests.cpp :: FunctionTimeout (greedy FCFS + Fewest + EvictionAverse)
// Body sleeps 50 s, time limit 10 s, startup 0: fails with a timeout; start == dispatch; no end date.
// The time limit counts from function start (WRENCH.md; with startup 0 the test cannot tell dispatch from start).
// wrench-asserts: done; not succeeded; cause OperationTimeout; |start - dispatch| <= DBL_EPSILON; end == -1 (unset)
// expect: inv 0 submit 0 dispatch 7.4126 start 7.4126 end none finish 17.4126 kind cold cause timeout

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
  scheduler greedy { order fcfs; eviction fewest_evictions; plan eviction_averse }
}

image my_image { size 100MB; ram 100MB; from user }

function Function_1 { image my_image; limits { time 10s; disk 2000MB; ram 8000MB; ingress 10MB; egress 1MB }; body { sleep 50s } }

workload {
  invoke Function_1 at 0s
}
