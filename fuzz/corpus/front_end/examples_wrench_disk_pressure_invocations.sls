// WRENCH test: ServerlessTimingTests.cpp :: DiskPressureDueToInvocations (greedy FCFS x Fewest/LRU)
// 100 GB disk, 60 GB image, 12 GB disk limits: (100-60)/12 -> 3 containers at a time.
// wrench-asserts: in groups {0..2}, {3..4}: equal dispatch dates and equal end dates (+-0.1)
// expect: inv 0..2 dispatch 4447.423 start 4447.423 end 4497.423 node ServerlessComputeNodeSmallDisk kind cold ok
// expect: inv 3..4 dispatch 4497.423 start 4497.423 end 4547.423 node ServerlessComputeNodeSmallDisk kind cold ok
// also-expected-with: scheduler fcfs | greedy { eviction lru }

platform {
  host UserHost { speed 10Gf/s; cores 1; disk "/" { size 5000GiB; read 100MBps; write 100MBps } }
  host ServerlessHeadNode { speed 10Gf/s; cores 1; ram 16GB; disk "/" { size 5000GiB; read 100MBps; write 100MBps } }
  host ServerlessComputeNodeSmallDisk { speed 50Gf/s; cores 10; ram 64000GB; disk "/" { size 100GB; read 100MBps; write 100MBps } }
  link wide_area { bandwidth 20MBps; latency 20us }
  link local_area { bandwidth 100Gbps; latency 1ns }
  route UserHost <-> ServerlessHeadNode via wide_area
  route UserHost <-> ServerlessComputeNodeSmallDisk via wide_area, wide_area
  route ServerlessHeadNode <-> ServerlessComputeNodeSmallDisk via local_area
  network lv08
}

storage user on UserHost:"/"

serverless faas {
  head ServerlessHeadNode:"/"
  compute ServerlessComputeNodeSmallDisk
  scheduler greedy { order fcfs; eviction fewest_evictions; plan eviction_averse }
}

image my_image_1 { size 60GB; ram 60GB; from user }

function Function_1 { image my_image_1; limits { time 100s; disk 12GB; ram 1MB; ingress 10MB; egress 1MB }; body { sleep 50s } }

workload {
  invoke Function_1 every 100ms count 5
}
