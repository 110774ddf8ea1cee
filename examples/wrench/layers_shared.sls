// WRENCH test: ServerlessMultiLayerTests.cpp :: FunctionInvocation (greedy Random(0) ordering + Fewest + EvictionAverse)
// Layers L1..L4 of 100 MB. f1 = {L1, L2}: two downloads share wide_area (10.825 s), two copies share the
// head disk (2 s), two loads share the node disk (2 s): dispatch - submit = 14.825.
// f2 = {L1, L3} only needs L3 (L1 cached): 5.4126 + 1 + 1 = 7.4126; f3 = {L4}: the same 7.4126.
// sls storage is unbuffered (WRENCH: 50 MB buffer); startup 0, body sleep 0.
// wrench-asserts: (dispatch-submit)(inv1) == (dispatch-submit)(inv2) (DBL_EPSILON); (dispatch-submit)(inv0) >= that + 5
// expect: inv 0 submit 0 dispatch 14.825 start 14.825 end 14.825 kind cold ok
// expect: inv 1 submit 20 dispatch 27.4126 start 27.4126 end 27.4126 kind cold ok
// expect: inv 2 submit 40 dispatch 47.4126 start 47.4126 end 47.4126 kind cold ok

platform {
  host UserHost { speed 10Gf/s; cores 1; disk "/" { size 5000GiB; read 100MBps; write 100MBps } }
  host ServerlessHeadNode { speed 10Gf/s; cores 1; ram 16GB; disk "/" { size 5000GiB; read 100MBps; write 100MBps } }
  host ServerlessComputeNode1 { speed 50Gf/s; cores 10; ram 64GB; disk "/" { size 5000GiB; read 100MBps; write 100MBps } }
  link wide_area { bandwidth 20MBps; latency 20us }
  link local_area { bandwidth 100Gbps; latency 1ns }
  route UserHost <-> ServerlessHeadNode via wide_area
  route UserHost <-> ServerlessComputeNode1 via wide_area, wide_area
  route ServerlessHeadNode <-> ServerlessComputeNode1 via local_area
  network lv08
}

// WRENCH's user storage has a 50 MB buffer (pipelined copy); sls storage is unbuffered (one stream).
storage user on UserHost:"/"

serverless faas {
  head ServerlessHeadNode:"/"
  compute ServerlessComputeNode1
  scheduler greedy { order random(0); eviction fewest_evictions; plan eviction_averse }
}

layer my_layer1 { size 100MB; ram 100MB }
layer my_layer2 { size 100MB; ram 100MB }
layer my_layer3 { size 100MB; ram 100MB }
layer my_layer4 { size 100MB; ram 100MB }

image image1 { layers [my_layer1, my_layer2]; from user }
image image2 { layers [my_layer1, my_layer3]; from user }
image image3 { layers [my_layer4]; from user }

// WRENCH registers "Function 1" once and "Function 2" twice (distinct registrations).
function Function_1 { image image1; limits { time 10s; disk 2000MB; ram 8000MB; ingress 10MB; egress 1MB }; body { sleep 0s } }
function Function_2 { image image2; limits { time 10s; disk 2000MB; ram 8000MB; ingress 10MB; egress 1MB }; body { sleep 0s } }
function Function_2b { image image3; limits { time 10s; disk 2000MB; ram 8000MB; ingress 10MB; egress 1MB }; body { sleep 0s } }

workload {
  invoke Function_1 at 0s
  invoke Function_2 at 20s
  invoke Function_2b at 40s
}
