// WRENCH test: ServerlessTimingTests.cpp :: ImageDownloadSimulation (greedy FCFS+Fewest, Random(0)+LRU)
// Two services on the same head and the same compute node: `a` simulates image downloads, `b` does not.
// a: D(30GB) 1623.712 + copy 300 + load 300 + startup 5 + sleep 10 = 2238.712; b: 300 + 300 + 5 + 10 = 615.
// (WRENCH gives each service its own RAM "disk" and node file system: resources are double-counted; see notes.)
// wrench-asserts: |elapsed(inv0) - elapsed(inv1)| >= 30e9/20e6 = 1500
// expect: inv 0 submit 0 dispatch 2223.712 start 2228.712 end 2238.712 kind cold ok
// expect: inv 1 submit 2240 dispatch 2840 start 2845 end 2855 kind cold ok

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

serverless a {
  head ServerlessHeadNode:"/"
  compute ServerlessComputeNode1
  scheduler greedy { order fcfs; eviction fewest_evictions; plan eviction_averse }
  container_startup 5s
  idle_timeout 10000s
  image_downloads on
}

serverless b {
  head ServerlessHeadNode:"/"
  compute ServerlessComputeNode1
  scheduler greedy { order fcfs; eviction fewest_evictions; plan eviction_averse }
  container_startup 5s
  idle_timeout 10000s
  image_downloads off
}

image my_image { size 30GB; ram 30GB; from user }
image my_image_2 { size 30GB; ram 30GB; from user }

function Function_1 { image my_image; limits { time 100s; disk 1GB; ram 1GB; ingress 10MB; egress 1MB }; body { sleep 10s } }
function Function_2 { image my_image_2; limits { time 100s; disk 1GB; ram 1GB; ingress 10MB; egress 1MB }; body { sleep 10s } }

workload {
  invoke Function_1 on a at 0s
  invoke Function_2 on b at 2240s
}
