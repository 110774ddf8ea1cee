// WRENCH test: ServerlessBasicTests.cpp :: FunctionError (greedy FCFS + Fewest + EvictionAverse)
// The body sleeps 1 s then reads a file that exists nowhere: the invocation fails with the body's own error
// (WRENCH: FileNotFound). sls models the error with `fail 100%`.
// Not expressible: invoking the function on a second service where it is not registered (WRENCH: the invoke call
// throws FunctionNotFound) -- sls functions are not registered per service (see notes, missing syntax).
// wrench-asserts: done; not succeeded; cause FileNotFound
// expect: inv 0 submit 0 dispatch 7.4126 start 7.4126 end 8.4126 finish 8.4126 kind cold cause body_error

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

function Function_1 { image my_image; limits { time 10s; disk 2000MB; ram 8000MB; ingress 10MB; egress 1MB }; body { sleep 1s; fail 100% } }

workload {
  invoke Function_1 at 0s
}
