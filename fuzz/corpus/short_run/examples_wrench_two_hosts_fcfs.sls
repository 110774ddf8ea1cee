// WRENCH test: ServerlessTimingTests.cpp :: TwoHostFCFSTiming (newest: greedy FCFS + SelectAllPossible + LRU + EvictionAverse; classic: FCFS)
// Two 10-core nodes, processing overhead 1 s (serialises the service), startup 5 s, idle timeout 10000 s,
// downloads off, 10 GB image, 34 invocations sent back to back: invocation k is submitted at k+1.
// inv0 starts a zero-time download at t=1 whose completion message queues behind inv1's request; inv1 (t=2)
// finds the image on the head and triggers the copy to node 1 at t=2. inv0..9 claim node 1's 10 slots while the
// image is in transit; inv10 (t=11) finds node 1 full and starts a copy to node 2. The two copies share the head
// disk: copy 1 ends 193, copy 2 202; loads end 293 (node 1) and 302 (node 2).
// The WRENCH client is synchronous (next request when the previous is answered): with a 1 s overhead this is
// exactly `every 1s` starting at 0.
// wrench-asserts: ids 0-9 on node 1, 10-19 on node 2, 20-29 on node 1, 30-33 on node 2;
//                 end(0..9) all exactly equal; start(20..29) exactly equal to end(0)
// expect: inv 0 submit 1
// expect: inv 1 submit 2
// expect: inv 2 submit 3
// expect: inv 3 submit 4
// expect: inv 4 submit 5
// expect: inv 5 submit 6
// expect: inv 6 submit 7
// expect: inv 7 submit 8
// expect: inv 8 submit 9
// expect: inv 9 submit 10
// expect: inv 10 submit 11
// expect: inv 11 submit 12
// expect: inv 12 submit 13
// expect: inv 13 submit 14
// expect: inv 14 submit 15
// expect: inv 15 submit 16
// expect: inv 16 submit 17
// expect: inv 17 submit 18
// expect: inv 18 submit 19
// expect: inv 19 submit 20
// expect: inv 20 submit 21
// expect: inv 21 submit 22
// expect: inv 22 submit 23
// expect: inv 23 submit 24
// expect: inv 24 submit 25
// expect: inv 25 submit 26
// expect: inv 26 submit 27
// expect: inv 27 submit 28
// expect: inv 28 submit 29
// expect: inv 29 submit 30
// expect: inv 30 submit 31
// expect: inv 31 submit 32
// expect: inv 32 submit 33
// expect: inv 33 submit 34
// expect: inv 0..9 dispatch 293 start 298 end 308 node ServerlessComputeNode1 kind cold ok
// expect: inv 10..19 dispatch 302 start 307 end 317 node ServerlessComputeNode2 kind cold ok
// expect: inv 20..29 dispatch 308 start 308 end 318 node ServerlessComputeNode1 kind warm ok
// expect: inv 30..33 dispatch 317 start 317 end 327 node ServerlessComputeNode2 kind warm ok

platform {
  host UserHost { speed 10Gf/s; cores 1; disk "/" { size 5000GiB; read 100MBps; write 100MBps } }
  host ServerlessHeadNode { speed 10Gf/s; cores 1; ram 16GB; disk "/" { size 5000GiB; read 100MBps; write 100MBps } }
  host ServerlessComputeNode1 { speed 50Gf/s; cores 10; ram 64GB; disk "/" { size 200GB; read 100MBps; write 100MBps } }
  host ServerlessComputeNode2 { speed 50Gf/s; cores 10; ram 64GB; disk "/" { size 200GB; read 100MBps; write 100MBps } }
  link wide_area { bandwidth 20MBps; latency 20us }
  link local_area { bandwidth 100Gbps; latency 1ns }
  route UserHost <-> ServerlessHeadNode via wide_area
  route UserHost <-> ServerlessComputeNode1 via wide_area, wide_area
  route UserHost <-> ServerlessComputeNode2 via wide_area, wide_area
  route ServerlessHeadNode <-> ServerlessComputeNode1 via local_area
  route ServerlessHeadNode <-> ServerlessComputeNode2 via local_area
  network lv08
}

storage user on UserHost:"/"

serverless faas {
  head ServerlessHeadNode:"/"
  compute ServerlessComputeNode1, ServerlessComputeNode2
  scheduler greedy { order fcfs; eviction lru; plan eviction_averse }
  processing_overhead 1s
  container_startup 5s
  idle_timeout 10000s
  image_downloads off
}

image my_image { size 10GB; ram 10GB; from user }

function Function { image my_image; limits { time 100s; disk 1GB; ram 1GB; ingress 10MB; egress 1MB }; body { sleep 10s } }

workload {
  invoke Function every 1s count 34
}
