// WRENCH test: ServerlessTimingTests.cpp :: SimpleImageEvictionFromRAM (greedy FCFS x Fewest/LRU)
// 64 GB RAM holds one 50 GB image: alternating functions reload from disk (500 s); the disk (200 GB) never evicts.
// Sequence f1, f2, f1, f1, f2, f1; elapsed 3716.186, 3716.186, 510, 10, 510, 510.
// wrench-asserts: elapsed(inv2) = elapsed(inv5) (+-0.01); elapsed(inv3) + 500 = elapsed(inv5) (+-0.01)
// expect: inv 0 submit 0 dispatch 3706.186 end 3716.186 kind cold ok
// expect: inv 1 submit 3720 dispatch 7426.186 end 7436.186 kind cold ok
// expect: inv 2 submit 7440 dispatch 7940 end 7950 kind cold ok
// expect: inv 3 submit 7960 dispatch 7960 end 7970 kind cold ok
// expect: inv 4 submit 7980 dispatch 8480 end 8490 kind cold ok
// expect: inv 5 submit 8500 dispatch 9000 end 9010 kind cold ok
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

image my_image_1 { size 50GB; ram 50GB; from user }
image my_image_2 { size 50GB; ram 50GB; from user }

function Function_1 { image my_image_1; limits { time 100s; disk 30GB; ram 10MB; ingress 10MB; egress 1MB }; body { sleep 10s } }
function Function_2 { image my_image_2; limits { time 100s; disk 30GB; ram 10MB; ingress 10MB; egress 1MB }; body { sleep 10s } }

workload {
  invoke Function_1 at 0s
  invoke Function_2 at 3720s
  invoke Function_1 at 7440s
  invoke Function_1 at 7960s
  invoke Function_2 at 7980s
  invoke Function_1 at 8500s
}
