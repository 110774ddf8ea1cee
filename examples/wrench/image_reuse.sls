// WRENCH test: ServerlessTimingTests.cpp :: ImageReuse (newest: greedy FCFS/Random(0) x Fewest/LRU; classic: FCFS, Random(0), WorkloadBalancing)
// Cold = download + copy + load + startup + body; warm = body; a new registration of the same image = startup + body.
// D(100MB) over wide_area with LV08 = 2.602e-4 + 100e6/(20e6*0.97/1.05) = 5.41263 s; copy 1 s; load 1 s.
// WRENCH's client waits for each completion before invoking again; here the later invocations are placed at fixed dates after it.
// wrench-asserts: elapsed(inv0) = 22.4 (+-0.05); elapsed(inv1) = 5 (+-0.05); elapsed(inv2) = 15 (+-0.05)
// expect: inv 0 submit 0 dispatch 7.4126 start 17.4126 end 22.4126 node ServerlessComputeNode1 kind cold ok
// expect: inv 1 submit 30 dispatch 30 start 30 end 35 node ServerlessComputeNode1 kind warm ok
// expect: inv 2 submit 40 dispatch 40 start 50 end 55 node ServerlessComputeNode1 kind cold ok
// also-expected-with: scheduler fcfs | random(0) | balanced | greedy { eviction lru }

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
  container_startup 10s
  idle_timeout 1000s
}

image my_image { size 100MB; ram 100MB; from user }

// Two registrations of the same code and image: distinct functions, no container sharing.
function Function { image my_image; limits { time 10s; disk 2000MB; ram 8000MB; ingress 10MB; egress 1MB }; body { sleep 5s } }
function Function2 { image my_image; limits { time 10s; disk 2000MB; ram 8000MB; ingress 10MB; egress 1MB }; body { sleep 5s } }

workload {
  invoke Function at 0s   // cold, image downloaded, copied, loaded
  invoke Function at 30s  // warm: the idle container (timeout 1000 s) is reused
  invoke Function2 at 40s // same image (cached on disk and in RAM), new registration: cold
}
