// WRENCH test: ServerlessPrewarmTests.cpp :: BasicTest (custom scheduler; startup 10 s, idle timeout 3600 s, 1 core)
// WRENCH timeline: inv1 runs cold (ends at T); its container expires at T+3600; the custom scheduler then
// prewarms a container (10 s startup, holds the only slot); inv2 is submitted at T+3605, waits for the prewarm to
// finish at T+3610, runs warm on it and ends at T+3620: it pays only the remaining 5 s of startup.
// sls has no scheduler-driven prewarm; `prewarm Function_1 1` (static) is used instead, with a 1-byte image and
// downloads off so that the prewarm can start at ~0 (copy+load of 1 byte: ~1e-8 s). The expectation assumes the
// sls semantics "an invocation arriving during a prewarm waits for it and pays the remaining startup" (see notes,
// open question: WRENCH's greedy scheduler would instead cold-start a second container if a slot were free;
// here the node has 1 core = 1 slot, so waiting is forced).
// wrench-asserts: end - submit of inv2 = 15 within 1e-5
// tolerance: 0.00001
// expect: inv 0 submit 5 dispatch 5 start 10 end 20 kind prewarmed ok

platform {
  host UserHost { speed 10Gf/s; cores 1; disk "/" { size 5000GiB; read 100MBps; write 100MBps } }
  host ServerlessHeadNode { speed 10Gf/s; cores 1; ram 16GB; disk "/" { size 5000GiB; read 100MBps; write 100MBps } }
  host ServerlessComputeNode1 { speed 50Gf/s; cores 1; ram 64GB; disk "/" { size 5000GiB; read 100MBps; write 100MBps } }
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
  container_startup 10s
  idle_timeout 3600s
  image_downloads off
  prewarm Function_1 1
}

// WRENCH: one 100 MB layer; here 1 B so that the prewarm is not delayed by image preparation.
layer my_layer1 { size 1B; ram 1B }
image my_image { layers [my_layer1]; from user }

function Function_1 { image my_image; limits { time 3600s; disk 2000MB; ram 8000MB; ingress 10MB; egress 1MB }; body { sleep 10s } }

workload {
  invoke Function_1 at 5s
}
