// WRENCH test: ServerlessSlotTests.cpp :: BasicTest (greedy Random(0) ordering + SelectAllPossible + Fewest + EvictionAverse)
// One core at 1 flop/s, 2 container slots, body compute 10 flops (10 s alone). Defaults: startup 0, idle timeout 0.
// inv1 alone (image prepared: 7.4126 + 10); inv2 alone: 10; inv3 + inv4 share the core: 20 each; inv5, 1 s later,
// finds both slots taken, waits until 60 and runs alone: ends 29 s after its submission.
// wrench-asserts: end - submit = 10 (inv1), 20 (inv2), 20 (inv3), 29 (inv4), each within 1e-5
// tolerance: 0.000001
// expect: inv 0 submit 0 dispatch 7.412631 start 7.412631 end 17.412631 kind cold ok
// expect: inv 1 submit 20 dispatch 20 start 20 end 30 kind cold ok
// expect: inv 2..3 submit 40 dispatch 40 start 40 end 60 kind cold ok
// expect: inv 4 submit 41 dispatch 60 start 60 end 70 kind cold ok

platform {
  host UserHost { speed 10Gf/s; cores 1; disk "/" { size 5000GiB; read 100MBps; write 100MBps } }
  host ServerlessHeadNode { speed 10Gf/s; cores 1; ram 16GB; disk "/" { size 5000GiB; read 100MBps; write 100MBps } }
  host ServerlessComputeNode1 { speed 1f/s; cores 1; ram 64GB; disk "/" { size 5000GiB; read 100MBps; write 100MBps } }
  link wide_area { bandwidth 20MBps; latency 20us }
  link local_area { bandwidth 100Gbps; latency 1ns }
  route UserHost <-> ServerlessHeadNode via wide_area
  route UserHost <-> ServerlessComputeNode1 via wide_area, wide_area
  route ServerlessHeadNode <-> ServerlessComputeNode1 via local_area
  network lv08
}

// WRENCH's user storage has a 50 MB buffer; sls storage is unbuffered (only inv 0 is affected, not asserted).
storage user on UserHost:"/"

serverless faas {
  head ServerlessHeadNode:"/"
  compute ServerlessComputeNode1
  scheduler greedy { order random(0); eviction fewest_evictions; plan eviction_averse }
  slots 2
}

layer my_layer1 { size 100MB; ram 100MB }
image my_image { layers [my_layer1]; from user }

function Function_1 { image my_image; limits { time 3600s; disk 2000MB; ram 8000MB; ingress 10MB; egress 1MB }; body { compute 10f } }

workload {
  invoke Function_1 at 0s
  invoke Function_1 at 20s
  invoke Function_1 at 40s burst 2
  invoke Function_1 at 41s
}
