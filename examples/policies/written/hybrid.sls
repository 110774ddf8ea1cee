// Serverless in the Wild's hybrid histogram keep-alive (Shahrad et al.,
// ATC'20, section 4.2) written in the language: `written_hybrid` decides
// exactly as the built-in `hybrid` (its defaults: a 4-hour range of
// 1-minute bins, the 5th and 99th percentiles, a 10 % margin, a CV of 2).
// `sls run` with `-p policy=hybrid` and `-p policy=written_hybrid` writes
// the same bytes (tests/written_policies.rs checks it), on functions that
// take each of its branches and on 3 hours of the Azure 2019 trace.
// Per function, from all its idle times so far:
// - none yet: kept for the range (4 h), no prewarm;
// - half or more beyond the range: their mean predicts the next one; the
//   container is unloaded and prewarmed at 85 % of it and kept to 115 %;
// - bin counts too even (CV below 2): the fixed fallback, kept 4 h;
// - else prewarmed at the 5th percentile's bin less 10 %, kept until the
//   end of the 99th percentile's bin plus 10 %.
param policy = written_hybrid // hybrid | written_hybrid
param trace = "../../traces/azure2019"

param idle = histogram(idle_times(function), 1min, 4h)
param seen = count(idle) + count_beyond(idle)
param predicted = mean_beyond(idle)

keep_alive written_hybrid {
  idle if(below(seen, 1), 4h,
    if(below(count_beyond(idle), 50% * seen),
      if(below(cv(idle), 2), 4h, (percentile(idle, 99%) + 1min) * (1 + 10%)),
      predicted * (1 - 15%) + predicted * 15% * 2))
  prewarm if(below(seen, 1), 0s,
    if(below(count_beyond(idle), 50% * seen),
      if(below(cv(idle), 2), 0s, percentile(idle, 5%) * (1 - 10%)),
      predicted * (1 - 15%)))
}

platform {
  host gateway { speed 10Gf/s; cores 8; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node[1..4] { speed 2Gf/s; cores 64; ram 64GB; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  link lan[1..4] { bandwidth 10Gbps; latency 10us }
  route gateway <-> node[i] via lan[i]
}

serverless faas {
  head gateway:"/"
  compute node[*]
  container_startup 500ms
  keep_alive policy
  image_downloads off
}

image runtime { size 100MB; ram 0B }

// Every 10 minutes: the histogram's percentiles (prewarmed at 8.1 min).
function periodic { image runtime; limits { ram 256MB }; body { sleep 1s } }
// Poisson, 2 a minute: idle times in the first bins (prewarm at 0: kept).
function busy { image runtime; limits { ram 256MB }; body { sleep 2s } }
// Poisson, 1 an hour for a month: idle times spread over the bins (a CV
// below 2 once enough are in), the fixed fallback.
function hourly { image runtime; limits { ram 256MB }; body { sleep 1s } }
// Every 5 hours: beyond the range, predicted.
function rare { image runtime; limits { ram 256MB }; body { sleep 1s } }

function from_trace {
  image runtime
  limits { ram trace.memory }
  body { sleep trace.duration }
}

workload {
  invoke periodic every 10min count 100
  invoke busy poisson 2/min for 6h
  invoke rare every 5h count 8
  invoke hourly poisson 1/h for 720h
  replay azure2019 trace as from_trace {
    days 1
    minutes 1..180
    apps top(3)
    spread poisson
  }
}
