// WRENCH test: ServerlessTimingTests.cpp :: OneIdleContainerTwoInvocations (greedy FCFS x Fewest/LRU)
// One invocation leaves one idle container; then two at once: the first (FCFS) takes it (10 s), the other
// starts a new container (10 s startup + 10 s), both dispatched at the same date.
// wrench-asserts: dispatch(inv1) = dispatch(inv2) (+-0.01); elapsed(inv1) + 10 = elapsed(inv2) (+-0.01)
// expect: inv 0 submit 0 dispatch 3706.186 start 3716.186 end 3726.186 kind cold ok
// expect: inv 1 submit 3730 dispatch 3730 start 3730 end 3740 kind warm ok
// expect: inv 2 submit 3730 dispatch 3730 start 3740 end 3750 kind cold ok
// also-expected-with: scheduler fcfs | greedy { eviction lru }

platform {
  host UserHost { speed 10Gf/s; cores 1; disk "/" { size 5000GiB; read 100MBps; write 100MBps } }
  host ServerlessHeadNode { speed 10Gf/s; cores 1; ram 16GB; disk "/" { size 5000GiB; read 100MBps; write 100MBps } }
  host ServerlessComputeNode1 { speed 50Gf/s; cores 10; ram 64GB; disk "/" { size 200GB; read 100MBps; write 100MBps } }
  link wide_area { bandwidth 20MBps; latency 20us }
  link local_area { bandwidth 100Gbps; latency 1ns }
  route UserHost <-> ServerlessHeadNode via wide_area
  route UserHost <-> ServerlessComputeNode1 via wide_area, wide_area
  route ServerlessHeadNode <-> ServerlessComputeNode1 via local_area
  network lv08
}

storage user on UserHost:"/"

serverless faas {
  head ServerlessHeadNode:"/"
  compute ServerlessComputeNode1
  scheduler greedy { order fcfs; eviction fewest_evictions; plan eviction_averse }
  container_startup 10s
  idle_timeout 100s
}

image my_image_1 { size 50GB; ram 50GB; from user }

function Function_1 { image my_image_1; limits { time 100s; disk 30GB; ram 10MB; ingress 10MB; egress 1MB }; body { sleep 10s } }

workload {
  invoke Function_1 at 0s
  invoke Function_1 at 3730s burst 2
}
