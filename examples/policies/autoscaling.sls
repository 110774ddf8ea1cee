// Autoscalers side by side: the same load on three services, each scaling
// its containers its own way. Invocations sleep 1 s and a container serves
// one at a time, so a rate of 5/s keeps 5 in flight: 5/s for 2 minutes, a
// step to 50/s for 1 minute, 5/s again for 2 minutes (600 + 3000 + 600 =
// 4200 arrivals a service, 12600 in all).
// - `knative` runs Knative's KPA with a target of 1 in flight per
//   container: 5 containers, a panic on the step (its 6 s window sees 10x
//   the load), no scale-down until a stable window (60 s) has passed
//   without a burst, then back to 5, and to zero 30 s after the stable
//   window is empty;
// - `kube` runs a horizontal autoscaler on the same target, every 15 s,
//   scaling down only after 5 minutes without a higher count (to its
//   minimum, 1, after the load);
// - `plain` has no autoscaler: the scheduler cold-starts containers for
//   waiting invocations and a 1-minute keep-alive window keeps them.
// Containers the autoscalers start count as prewarms in the keep-alive
// table; the autoscaler table counts their decisions.
param scaler = kpa

platform {
  host gateway { speed 10Gf/s; cores 1; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  host node[1..3] { speed 1Gf/s; cores 64; ram 64GB; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  link local[1..3] { bandwidth 1GBps; latency 2us }
  route gateway <-> node[i] via local[i]
}

serverless knative {
  head gateway:"/"
  compute node[1]
  container_startup 2s
  slots 640
  autoscaler scaler { target 1; stable_window 60s; panic_window 10%; panic_threshold 200%; scale_to_zero_grace 30s; min 0; max 100 }
}

serverless kube {
  head gateway:"/"
  compute node[2]
  container_startup 2s
  slots 640
  autoscaler hpa { target 1; period 15s; stabilization 5min; min 1 }
}

serverless plain {
  head gateway:"/"
  compute node[3]
  container_startup 2s
  slots 640
  idle_timeout 1min
}

image runtime { size 100MB; ram 100MB }

function api { image runtime; limits { ram 256MB }; body { sleep 1s } }
function api_hpa extends api { }
function api_plain extends api { }

workload {
  invoke api on knative stages { 5/s for 2min; 50/s for 1min; 5/s for 2min }
  invoke api_hpa on kube stages { 5/s for 2min; 50/s for 1min; 5/s for 2min }
  invoke api_plain on plain stages { 5/s for 2min; 50/s for 1min; 5/s for 2min }
}
