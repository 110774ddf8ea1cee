// WRENCH test: ServerlessTimingTests.cpp :: TwoIdleContainers (greedy FCFS x Fewest/LRU)
// Startup 10 s, idle timeout 100 s. Two invocations together (two cold containers), two more at once (both warm),
// then 1000 s later two more (containers expired: both cold, image still cached).
// wrench-asserts: elapsed equal within each pair (+-0.01); elapsed(pair 2) = 10; elapsed(pair 3) = 10 + 10
// expect: inv 0..1 submit 0 dispatch 3706.186 start 3716.186 end 3726.186 kind cold ok
// expect: inv 2..3 submit 3730 dispatch 3730 start 3730 end 3740 kind warm ok
// expect: inv 4..5 submit 4740 dispatch 4740 start 4750 end 4760 kind cold ok
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
  invoke Function_1 at 0s burst 2
  invoke Function_1 at 3730s burst 2
  invoke Function_1 at 4740s burst 2
}
