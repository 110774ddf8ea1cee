// WRENCH test: ServerlessFailureTests.cpp :: RemoteDownloadFailure (greedy FCFS + Fewest + EvictionAverse)
// The image lives on RepoHost behind a 1 MB/s link (`remote`); the 100 MB download would take ~100 s, but the
// link is turned off at t=5: the download fails and the admitted invocation fails with the network error.
// WRENCH runs it with 1024-byte control messages and link-shutdown simulation on.
// sls injects the link failure with `fail link remote at 5s`; the invocation fails with image_download_failure
// when the failure is known (at 5 s).
// wrench-asserts: invocation not succeeded; cause is a NetworkError
// expect: inv 0 submit 0 dispatch none end none finish 5 cause image_download_failure

platform {
  host UserHost { speed 10Gf/s; cores 1; disk "/" { size 5000GiB; read 100MBps; write 100MBps } }
  host RepoHost { speed 10Gf/s; cores 1; disk "/" { size 5000GiB; read 100MBps; write 100MBps } }
  host ServerlessHeadNode { speed 10Gf/s; cores 1; ram 16GB; disk "/" { size 5000GiB; read 100MBps; write 100MBps } }
  host ServerlessComputeNode1 { speed 50Gf/s; cores 10; ram 64GB; disk "/" { size 5000GiB; read 100MBps; write 100MBps } }
  host ServerlessComputeNode2 { speed 50Gf/s; cores 10; ram 64GB; disk "/" { size 5000GiB; read 100MBps; write 100MBps } }
  link remote { bandwidth 1MBps; latency 20us }
  link wide_area { bandwidth 20MBps; latency 20us }
  link local_area { bandwidth 100Gbps; latency 1ns }
  route RepoHost <-> ServerlessHeadNode via remote
  route UserHost <-> ServerlessHeadNode via wide_area
  route UserHost <-> ServerlessComputeNode1 via wide_area, wide_area
  route ServerlessHeadNode <-> ServerlessComputeNode1 via local_area
  route ServerlessHeadNode <-> ServerlessComputeNode2 via local_area
  network lv08
  fail link remote at 5s
}

storage repo on RepoHost:"/"

serverless faas {
  head ServerlessHeadNode:"/"
  compute ServerlessComputeNode1
  scheduler greedy { order fcfs; eviction fewest_evictions; plan eviction_averse }
  request_payload 1024B
  response_payload 1024B
}

image my_image { size 100MB; ram 100MB; from repo }

function Function_1 { image my_image; limits { time 10s; disk 2000MB; ram 8000MB; ingress 10MB; egress 1MB }; body { sleep 5s } }

workload {
  invoke Function_1 at 0s
  // missing: turn link `remote` off at 5s
}
