// SAND.md, "Paper figures": 50 concurrent invocations of one Python
// function grew memory by about 14.61 MB per invocation on OpenWhisk (a
// container each) and, on SAND, by about 1.1 MB per execution on top of a
// 16.35 MB grain worker. Those per-unit costs go in here, one service each
// on its own node:
//   containers: a container per invocation reserving 14.61 MB;
//   sand:       one application sandbox, one grain worker (16.35 MB) and a
//               forked instance (1.1 MB) per invocation.
// Outcome (asserted by tests/sand.rs from summary.json's peak memory):
// 50 x 14.61 = 730.5 MB against 16.35 + 50 x 1.1 = 71.35 MB, 10.2 times less.
platform {
  host gateway { speed 4Gf/s; cores 4; disk "/" { size 1TB; read 500MBps; write 500MBps } }
  host ow { speed 2.5Gf/s; cores 64; ram 32GB; disk "/" { size 500GB; read 500MBps; write 400MBps } }
  host sbx { speed 2.5Gf/s; cores 64; ram 32GB; disk "/" { size 500GB; read 500MBps; write 400MBps } }
  link lan[1..2] { bandwidth 10Gbps; latency 50us }
  route gateway <-> ow via lan[1]
  route gateway <-> sbx via lan[2]
}

serverless containers {
  head gateway:"/"
  compute ow
  sandbox per_invocation
}

serverless sand {
  head gateway:"/"
  compute sbx
  idle_timeout 10min
  sandbox per_application { base_memory 16.35MB; instance_memory 1.1MB }
}

// The image's RAM is left out: only what grows with invocations is compared.
image python { size 100MB; ram 0B }

function hello_container { image python; limits { ram 14.61MB }; body { sleep 10s } }
function hello_sand { image python; app hello; body { sleep 10s } }

workload {
  invoke hello_container on containers at 1s burst 50
  invoke hello_sand on sand at 1s burst 50
}
