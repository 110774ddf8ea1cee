// Arguments per invocation: one function whose body sleeps `trace.duration`
// and whose RAM limit is `trace.memory`, invoked with the values of each
// invocation, as WRENCH's FunctionInput passes them. A hand-written list
// and a replayed trace are the same thing: `invoke work at 500ms with {
// duration 47s; memory 256MB }` is the trace row `0.5,work,47,256`.
// 3 + 4 + 3 = 10 invocations; each sleeps what it was given.
include "../common/cluster.sls"

serverless faas {
  head gateway:"/"
  compute node[1..2]
  container_startup 1s
  idle_timeout 1min
}

image app { size 400MB; ram 200MB; from registry }

function work { image app; limits { time 2min; ram trace.memory }; body { sleep trace.duration } }

workload {
  invoke work at 0s with { duration 10s; memory 256MB }
  invoke work at 500ms with { duration 47s; memory 256MB }
  invoke work at 1s with { duration 3s; memory 1GB } // a container of its own size
  invoke work every 2s count 4 with { duration 1s; memory 256MB }
  client { // one after another
    invoke work with { duration 5s; memory 256MB }
    wait
    invoke work count 2 with { duration 2s; memory 256MB }
  }
}
