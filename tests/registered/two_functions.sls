// Two functions invoked every 10 s, 20 times each, on node[1..2], for the
// tests of policies registered by the library (tests/registered_policies.rs)
// and from Python (python/tests/test_policies.py): they write the service's
// policy lines in place of the word in capitals.
platform {
  host gateway { speed 1Gf/s; cores 1; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  host node[1..2] { speed 1Gf/s; cores 2; ram 8GB; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  link l[1..2] { bandwidth 100MBps; latency 1us }
  route gateway <-> node[i] via l[i]
}
serverless faas {
  head gateway:"/"
  compute node[*]
  CHOICE
  container_startup 1s
}
image img { size 10MB; ram 10MB }
function f { image img; limits { time 60s; ram 100MB }; body { sleep 1s } }
function g { image img; limits { time 60s; ram 100MB }; body { sleep 1s } }
workload {
  invoke f on faas every 10s count 20
  invoke g on faas every 10s count 20
}
