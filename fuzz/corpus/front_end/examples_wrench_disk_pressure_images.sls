// WRENCH test: ServerlessTimingTests.cpp :: DiskPressureDueToImages (greedy FCFS x Fewest/LRU)
// 100 GB node disk, images of 60 GB and 61 GB: the second image is copied only after the first invocation ends
// (its layer is protected while copied/loaded/used), by evicting the first image from disk (and RAM):
// dispatch(inv1) = end(inv0) + copy 610 s + load 610 s.
// Timeline: the 60 GB download ends 6494.846; its copy then shares the head disk with the 61 GB download, and
// (SimGrid's solver keeps a stream's route weight on every resource it crosses) runs at nearly full speed while
// the download slows: copy A ends 7095.788, the 61 GB download 7144.812; load A to 7695.788.
// wrench-asserts: |end(inv0) + 2*61e9/1e8 - dispatch(inv1)| <= 0.1
// expect: inv 0 submit 0 dispatch 7695.788 start 7695.788 end 7745.788 node ServerlessComputeNodeSmallDisk kind cold ok
// expect: inv 1 submit 0 dispatch 8965.788 start 8965.788 end 9015.788 node ServerlessComputeNodeSmallDisk kind cold ok
// also-expected-with: scheduler fcfs (disk LRU cache evicts the first image once unpinned) | greedy { eviction lru }

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
image my_image_2 { size 61GB; ram 61GB; from user }

function Function_1 { image my_image_1; limits { time 100s; disk 2000MB; ram 1MB; ingress 10MB; egress 1MB }; body { sleep 50s } }
function Function_2 { image my_image_2; limits { time 100s; disk 2000MB; ram 1MB; ingress 10MB; egress 1MB }; body { sleep 50s } }

workload {
  invoke Function_1 at 0s
  invoke Function_2 at 0s
}
