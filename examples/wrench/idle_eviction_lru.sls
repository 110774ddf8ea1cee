// WRENCH test: ServerlessTimingTests.cpp :: IdleContainerEviction (classic: FCFS + IDLE_CONTAINER_EVICTION_POLICY=LRU)
// 33 GB image on a 64 GB node; ten registrations of the same code with RAM limits 1,1,1,1,2,3,4,5,6,7 GB fill the
// remaining 31 GB exactly; all ten run together (dispatched 2446.083, startup 5, sleep 100) and go idle together at
// 2551.083 (equal idle dates: LRU ties broken by creation order = index order). Then an 11 GB function needs room:
// policy lru evicts {0,1,2,3,4,5,6} (1+1+1+1+2+3+4 = 13 >= 11). Then each surviving container is reused (end - dispatch = 100, warm)
// and each evicted function starts cold (105).
// Every body sleeps exactly its 100 s time limit: as in WRENCH, it keeps its end date and fails with
// a timeout (WRENCH's test reads only the dates).
// wrench-asserts: non-evicted: end-dispatch = 100 (+-0.01); evicted: end-dispatch = 105 (+-0.01)
// expect: inv 0..9 dispatch 2446.083 start 2451.083 end 2551.083 kind cold cause timeout
// expect: inv 10 submit 2560 dispatch 2560 start 2565 end 2665 kind cold cause timeout
// expect: inv 11 submit 2700 dispatch 2700 end 2800 kind warm cause timeout
// expect: inv 12 submit 2810 dispatch 2810 end 2910 kind warm cause timeout
// expect: inv 13 submit 2920 dispatch 2920 end 3020 kind warm cause timeout
// expect: inv 14 submit 3030 dispatch 3030 start 3035 end 3135 kind cold cause timeout
// expect: inv 15 submit 3140 dispatch 3140 start 3145 end 3245 kind cold cause timeout
// expect: inv 16 submit 3250 dispatch 3250 start 3255 end 3355 kind cold cause timeout
// expect: inv 17 submit 3360 dispatch 3360 start 3365 end 3465 kind cold cause timeout
// expect: inv 18 submit 3470 dispatch 3470 start 3475 end 3575 kind cold cause timeout
// expect: inv 19 submit 3580 dispatch 3580 start 3585 end 3685 kind cold cause timeout
// expect: inv 20 submit 3690 dispatch 3690 start 3695 end 3795 kind cold cause timeout

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
  scheduler fcfs
  container_startup 5s
  idle_timeout 10000s
  eviction lru
}

image my_image { size 33GB; ram 33GB; from user }

// Ten distinct registrations of the same code (WRENCH registers "function_code" ten times).
function function_code_0 { image my_image; limits { time 100s; disk 1MB; ram 1GB; ingress 10MB; egress 1MB }; body { sleep 100s } }
function function_code_1 { image my_image; limits { time 100s; disk 1MB; ram 1GB; ingress 10MB; egress 1MB }; body { sleep 100s } }
function function_code_2 { image my_image; limits { time 100s; disk 1MB; ram 1GB; ingress 10MB; egress 1MB }; body { sleep 100s } }
function function_code_3 { image my_image; limits { time 100s; disk 1MB; ram 1GB; ingress 10MB; egress 1MB }; body { sleep 100s } }
function function_code_4 { image my_image; limits { time 100s; disk 1MB; ram 2GB; ingress 10MB; egress 1MB }; body { sleep 100s } }
function function_code_5 { image my_image; limits { time 100s; disk 1MB; ram 3GB; ingress 10MB; egress 1MB }; body { sleep 100s } }
function function_code_6 { image my_image; limits { time 100s; disk 1MB; ram 4GB; ingress 10MB; egress 1MB }; body { sleep 100s } }
function function_code_7 { image my_image; limits { time 100s; disk 1MB; ram 5GB; ingress 10MB; egress 1MB }; body { sleep 100s } }
function function_code_8 { image my_image; limits { time 100s; disk 1MB; ram 6GB; ingress 10MB; egress 1MB }; body { sleep 100s } }
function function_code_9 { image my_image; limits { time 100s; disk 1MB; ram 7GB; ingress 10MB; egress 1MB }; body { sleep 100s } }
function other_function { image my_image; limits { time 100s; disk 1MB; ram 11GB; ingress 10MB; egress 1MB }; body { sleep 100s } }

workload {
  invoke function_code_0 at 0s
  invoke function_code_1 at 1s
  invoke function_code_2 at 2s
  invoke function_code_3 at 3s
  invoke function_code_4 at 4s
  invoke function_code_5 at 5s
  invoke function_code_6 at 6s
  invoke function_code_7 at 7s
  invoke function_code_8 at 8s
  invoke function_code_9 at 9s
  invoke other_function at 2560s
  // checks, one at a time (WRENCH waits for each)
  invoke function_code_7 at 2700s
  invoke function_code_8 at 2810s
  invoke function_code_9 at 2920s
  invoke function_code_0 at 3030s // evicted: cold
  invoke function_code_1 at 3140s // evicted: cold
  invoke function_code_2 at 3250s // evicted: cold
  invoke function_code_3 at 3360s // evicted: cold
  invoke function_code_4 at 3470s // evicted: cold
  invoke function_code_5 at 3580s // evicted: cold
  invoke function_code_6 at 3690s // evicted: cold
}
