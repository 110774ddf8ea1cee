// WRENCH test: ServerlessTimingTests.cpp :: TmpStorageClearing (greedy FCFS/Random(0) x Fewest/LRU)
// The body records the free space of its scratch (30 GB partition = disk limit), creates a 1 GB file there,
// sleeps 10 s and records it again; the second invocation reuses the container and must see the same numbers:
// the scratch is wiped after each run. Output of both runs: "30GB free before, 29GB free after".
// Differences: WRENCH creates the 1 GB file in zero time (bookkeeping); sls's `write 1GB` costs 10 s of disk time.
// sls cannot assert body outputs (see notes, missing syntax); the dates below are sls's (write 10 s + sleep 10 s).
// wrench-asserts: output(inv0) == output(inv1)
// expect: inv 0 submit 0 dispatch 3706.186 start 3716.186 end 3736.186 kind cold ok
// expect: inv 1 submit 3740 dispatch 3740 start 3740 end 3760 kind warm ok
// note: scratch free space at the start of inv 1 = 30GB, the same as at the start of inv 0 (not assertable yet)

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
  idle_timeout 100s
}

image my_image_1 { size 50GB; ram 50GB; from user }

function Function_1 {
  image my_image_1
  limits { time 100s; disk 30GB; ram 10MB; ingress 10MB; egress 1MB }
  body { write 1GB; sleep 10s }
}

workload {
  invoke Function_1 at 0s
  invoke Function_1 at 3740s
}
