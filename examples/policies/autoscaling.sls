// Autoscalers side by side: the same load on three services, each scaling
// its containers its own way. Invocations sleep 1 s, so the in-flight
// count is the arrival rate times 1 s: 5 for 2 minutes, a step to 50 for
// 1 minute, 5 again for 2 minutes (1500 + 3000 + 1500 = 6000 arrivals a
// service, 18000 in all).
// - `knative` runs Knative's KPA with a target of 10 in flight per
//   container: 1 container, a panic on the step (its 6 s window sees 5x
//   the load), 5 containers, no scale-down for a minute after the burst,
//   then back to 1, and to zero 30 s after the stable window is empty;
// - `kube` runs a horizontal autoscaler on the same target, every 15 s,
//   scaling down only after 5 minutes without a higher count;
// - `plain` has no autoscaler: the scheduler cold-starts containers for
//   waiting invocations and the keep-alive window keeps them.
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
function api_hpa extends api {}
function api_plain extends api {}

workload {
  invoke api on knative stages { 5/s for 2min; 50/s for 1min; 5/s for 2min }
  invoke api_hpa on kube stages { 5/s for 2min; 50/s for 1min; 5/s for 2min }
  invoke api_plain on plain stages { 5/s for 2min; 50/s for 1min; 5/s for 2min }
}
