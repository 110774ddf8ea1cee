// WRENCH test: ServerlessTimingTests.cpp :: RAMPressureDueToImages (greedy FCFS x Fewest/LRU)
// Images of 60 GB and 61 GB on a 64 GB node: the second can only be loaded once the first's invocation is over,
// by evicting the first image from RAM; it is dispatched at (end of the first) + 61e9/1e8 = +610 s.
// Timeline: both downloads share wide_area until the 60 GB one ends (6494.846). The copy of the first image then
// shares the head disk with the second download; as in SimGrid's solver, an I/O stream keeps the sharing weight of
// its route on every resource it crosses (1/penalty: the copy's local route weighs ~630x the wide-area download),
// so the copy runs at nearly the full 100 MB/s (ends 7095.788) and the download finishes later (7144.812); the
// first image's load and the second's copy then share the node disk. The relation WRENCH asserts holds either way.
// wrench-asserts: end(inv0) < dispatch(inv1); |end(inv0) + 610 - dispatch(inv1)| <= 0.01
// expect: inv 0 submit 0 dispatch 8305.788 start 8305.788 end 8355.788 kind cold ok
// expect: inv 1 submit 0 dispatch 8965.788 start 8965.788 end 9015.788 kind cold ok
// also-expected-with: scheduler fcfs (RAM LRU cache evicts the first image's RAM file) | greedy { eviction lru }

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
image my_image_2 { size 61GB; ram 61GB; from user }

function Function_1 { image my_image_1; limits { time 100s; disk 2000MB; ram 1MB; ingress 10MB; egress 1MB }; body { sleep 50s } }
function Function_2 { image my_image_2; limits { time 100s; disk 2000MB; ram 1MB; ingress 10MB; egress 1MB }; body { sleep 50s } }

workload {
  invoke Function_1 at 0s
  invoke Function_2 at 0s
}
