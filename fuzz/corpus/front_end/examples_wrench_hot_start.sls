// WRENCH test: ServerlessTimingTests.cpp :: HotStart (greedy FCFS x Fewest/LRU)
// Startup 5 s, idle timeout 60 s: a warm start has no overhead; after more than 60 s idle the container is gone.
// WRENCH: inv1, wait, inv2 right away, wait, sleep 70, inv3. Here inv2 at 4470 (idle since 4462.423) and
// inv3 70 s after inv2's end (idle since 4480, expired at 4540).
// wrench-asserts: start-dispatch = 5 (inv0), 0 (inv1), 5 (inv2), each +-0.01
// expect: inv 0 submit 0 dispatch 4447.423 start 4452.423 end 4462.423 kind cold ok
// expect: inv 1 submit 4470 dispatch 4470 start 4470 end 4480 kind warm ok
// expect: inv 2 submit 4550 dispatch 4550 start 4555 end 4565 kind cold ok
// also-expected-with: scheduler fcfs | greedy { eviction lru }

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
  container_startup 5s
  idle_timeout 60s
}

image my_image_1 { size 60GB; ram 60GB; from user }

function Function_1 { image my_image_1; limits { time 100s; disk 30GB; ram 1MB; ingress 10MB; egress 1MB }; body { sleep 10s } }

workload {
  invoke Function_1 at 0s
  invoke Function_1 at 4470s
  invoke Function_1 at 4550s
}
