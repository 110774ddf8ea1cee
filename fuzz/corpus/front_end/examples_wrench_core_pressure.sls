// WRENCH test: ServerlessTimingTests.cpp :: CorePressure (greedy FCFS x Fewest/LRU)
// 20 invocations 0.1 s apart on 10 cores: two waves of 10 with identical start and end dates.
// All wait for one 60 GB download (3247.423 s); the first copies (600 s), the next nine claim the remaining slots,
// load 600 s -> wave 1 dispatched at 4447.423 (startup 0), ends 4497.423; idle timeout 0 frees each slot at once.
// wrench-asserts: start and end of inv 0..9 equal within 0.1; same for inv 10..19
// expect: inv 0..9 dispatch 4447.423 start 4447.423 end 4497.423 node ServerlessComputeNode1 kind cold ok
// expect: inv 10..19 dispatch 4497.423 start 4497.423 end 4547.423 node ServerlessComputeNode1 kind cold ok
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
  container_startup 0s
  idle_timeout 0s
}

image my_image_1 { size 60GB; ram 60GB; from user }

function Function_1 { image my_image_1; limits { time 100s; disk 2000MB; ram 1MB; ingress 10MB; egress 1MB }; body { sleep 50s } }

workload {
  invoke Function_1 every 100ms count 20
}
