// WRENCH test: ServerlessTimingTests.cpp :: RAMPressureDueToInvocations (greedy FCFS x Fewest/LRU)
// 60 GB image in 64 GB of RAM leaves 4 GB: with 1 GB RAM limits, waves of 4 (cores are not the limit).
// wrench-asserts: in groups {0..3}, {4..7}, {8..9}: dispatch of the first ~ start of the others and equal ends (+-0.1)
// expect: inv 0..3 dispatch 4447.423 start 4447.423 end 4497.423 kind cold ok
// expect: inv 4..7 dispatch 4497.423 start 4497.423 end 4547.423 kind cold ok
// expect: inv 8..9 dispatch 4547.423 start 4547.423 end 4597.423 kind cold ok
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
}

image my_image_1 { size 60GB; ram 60GB; from user }

function Function_1 { image my_image_1; limits { time 100s; disk 2000MB; ram 1GB; ingress 10MB; egress 1MB }; body { sleep 50s } }

workload {
  invoke Function_1 every 100ms count 10
}
