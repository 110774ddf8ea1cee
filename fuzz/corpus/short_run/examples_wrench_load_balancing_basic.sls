// WRENCH test: ServerlessLoadBalancingSchedulerTests.cpp :: Basic (old API, stale; Random scheduler; no assertion)
// One 10 MB/s link for every route; 200 invocations of Function_1 (body returns at once), wait for all, then one of
// Function_2. The test's only checks are commented out; kept for coverage of the old API's scenario.
// wrench-asserts: none (end-date checks commented out)
// expect: inv 0..200 ok

platform {
  host UserHost { speed 10Gf/s; cores 1; disk "/" { size 5000GiB; read 100MBps; write 100MBps } }
  host ServerlessHeadNode { speed 10Gf/s; cores 1; ram 16GB; disk "/" { size 5000GiB; read 100MBps; write 100MBps } }
  host ServerlessComputeNode[1..2] { speed 50Gf/s; cores 10; ram 64GB; disk "/" { size 5000GiB; read 100MBps; write 100MBps } }
  link network_link { bandwidth 10MBps; latency 20us }
  route UserHost <-> ServerlessHeadNode via network_link
  route UserHost <-> ServerlessComputeNode[i] via network_link
  route ServerlessHeadNode <-> ServerlessComputeNode[i] via network_link
  network lv08
}

storage user on UserHost:"/"

serverless faas {
  head ServerlessHeadNode:"/"
  compute ServerlessComputeNode[*]
  scheduler random(0)
}

image input_file { size 100MB; ram 100MB; from user }

function Function_1 { image input_file; limits { time 10s; disk 2000MB; ram 8000MB; ingress 10MB; egress 1MB }; body { sleep 0s } }
function Function_2 { image input_file; limits { time 10s; disk 2000MB; ram 8000MB; ingress 10MB; egress 1MB }; body { sleep 0s } }

workload {
  invoke Function_1 at 0s burst 200
  invoke Function_2 at 1000s
}
