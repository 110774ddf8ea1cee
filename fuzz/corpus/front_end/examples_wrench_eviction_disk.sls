// WRENCH test: ServerlessTimingTests.cpp :: SimpleImageEvictionFromDisk (greedy FCFS x Fewest/LRU)
// 100 GB disk, two 50 GB images, 30 GB disk limits, downloads off, startup 0, idle timeout 0.
// f1 cold (copy 500 + load 500 + 10); f1 again (image on disk and in RAM: 10); f2 (its copy fits exactly, but its
// container needs 30 GB: the first image is evicted from disk and RAM: 1010); f1 again (copy + load again: 1010).
// wrench-asserts: elapsed = 1010, 10, 1010, 1010 (each +-0.01)
// expect: inv 0 submit 0 dispatch 1000 start 1000 end 1010 kind cold ok
// expect: inv 1 submit 1015 dispatch 1015 start 1015 end 1025 kind cold ok
// expect: inv 2 submit 1030 dispatch 2030 start 2030 end 2040 kind cold ok
// expect: inv 3 submit 2045 dispatch 3045 start 3045 end 3055 kind cold ok
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
  container_startup 0s
  idle_timeout 0s
  image_downloads off
}

image my_image_1 { size 50GB; ram 50GB; from user }
image my_image_2 { size 50GB; ram 50GB; from user }

function Function_1 { image my_image_1; limits { time 100s; disk 30GB; ram 1MB; ingress 10MB; egress 1MB }; body { sleep 10s } }
function Function_2 { image my_image_2; limits { time 100s; disk 30GB; ram 1MB; ingress 10MB; egress 1MB }; body { sleep 10s } }

workload {
  invoke Function_1 at 0s
  invoke Function_1 at 1015s
  invoke Function_2 at 1030s
  invoke Function_1 at 2045s
}
