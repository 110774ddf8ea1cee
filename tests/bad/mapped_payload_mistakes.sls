// Payload columns of a mapping: one without its unit'\''s number, one in seconds, one per invocation in a table of counts.
platform {
  host gw { speed 1Gf/s; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  host node[1..2] { speed 1Gf/s; cores 4; ram 16GB; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  link l[1..2] { bandwidth 100MBps; latency 10us }
  route gw <-> node[i] via l[i]
}
storage repo on gw:"/"
serverless faas { head gw:"/"; compute node[*] }
image img { size 100MB; ram 100MB; from repo }
function t { image img; limits { ram 1GB }; body { sleep trace.duration } }
format requests {
  time column("time_frontend", 1s)
  function column("funcName")
  duration column("runtimeCost", 1s)
  request_payload column("requestBodySize", B)
  response_payload column("requestBodySize", 1s)
}
format counted {
  time column("time", 1s)
  function header
  period 1min
  duration 100ms
  request_payload column("size", 1KB)
}
