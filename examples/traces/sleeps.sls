// A WRENCH-like run of 1000 invocations, each sleeping the time its row
// gives (81 different times), with ONE function: the trace passes each
// invocation's `trace.duration`, as WRENCH's FunctionInput would. The
// file's columns are mapped with their units: submission dates in
// milliseconds, sleeps in seconds.
platform {
  host user { speed 10Gf/s; cores 1; disk "/" { size 5000GiB; read 100MBps; write 100MBps } }
  host head { speed 10Gf/s; cores 1; ram 16GB; disk "/" { size 5000GiB; read 100MBps; write 100MBps } }
  host node { speed 1Gf/s; cores 40; ram 64GB; disk "/" { size 5000GiB; read 100MBps; write 100MBps } }
  link wide_area { bandwidth 20MBps; latency 20us }
  link local { bandwidth 100Gbps; latency 1ns }
  route user <-> head via wide_area
  route head <-> node via local
}

storage repo on user:"/"

serverless faas { head head:"/"; compute node; container_startup 1s; idle_timeout 0s }

image runtime { size 100MB; ram 100MB; from repo }

function work {
  image runtime
  limits { time 2min; ram 200MB }
  body { sleep trace.duration }
}

workload {
  replay csv "sleeps.csv" as work {
    time column("submit_ms", 1ms)
    function column("function")
    duration column("sleep_s", 1s)
  }
}
