// The WRENCH basic example: one user, a gateway and four compute nodes;
// 200 invocations of a sleeping function, one per second.
param nodes = 4
param invocations = 200
param seed = 42

platform {
  host user { speed 10Gf/s; cores 1; disk "/" { size 5000GB; read 100MBps; write 100MBps } }
  host gateway { speed 10Gf/s; cores 1; disk "/" { size 5000GB; read 100MBps; write 100MBps } }
  host node[1..nodes] {
    speed 1Gf/s; cores 10; ram 64GB
    disk "/" { size 5000GiB; read 100MBps; write 100MBps }
  }
  link wide_area { bandwidth 10MBps; latency 20us }
  link local[1..nodes] { bandwidth 100MBps; latency 2us }
  route user <-> gateway via wide_area
  route gateway <-> node[i] via local[i]
  route user <-> node[i] via wide_area, local[i]
  network lv08 // or: raw
}

storage repo on user:"/" // where images come from

serverless faas {
  head gateway:"/"
  compute node[*]
  scheduler fcfs // random(seed) | balanced | greedy { ... }
  container_startup 1s
  idle_timeout 0s
  eviction lru // or: ram
}

image runtime { size 250MB; ram 250MB; from repo }

function work {
  image runtime
  limits { time 60s; disk 500MB; ram 200MB; ingress 30MB; egress 40MB }
  body { sleep uniform(10s, 90s) }
}

workload {
  invoke work on faas every 1s count invocations
}
