// A keep-alive and a placement written in Rust (examples/custom-policy/src/
// main.rs), named here like built-in policies: `keep_alive last_gap`,
// `scheduler warm_first`. Run it with the program that registers them:
//   cargo run --release --manifest-path examples/custom-policy/Cargo.toml
// Two functions, each invoked every minute, `count` times, on two nodes.
param count = 30

platform {
  host gateway { speed 10Gf/s; cores 1; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  host node[1..2] {
    speed 1Gf/s; cores 4; ram 16GB
    disk "/" { size 1TB; read 100MBps; write 100MBps }
  }
  link local[1..2] { bandwidth 100MBps; latency 2us }
  route gateway <-> node[i] via local[i]
}

serverless faas {
  head gateway:"/"
  compute node[*]
  scheduler warm_first
  keep_alive last_gap
  container_startup 1s
}

image runtime { size 100MB; ram 100MB }

function resize {
  image runtime
  limits { time 60s; ram 200MB }
  body { sleep 1s }
}

function thumbnail {
  image runtime
  limits { time 60s; ram 200MB }
  body { sleep 2s }
}

workload {
  invoke resize on faas every 1min count count
  invoke thumbnail on faas every 1min count count
}
