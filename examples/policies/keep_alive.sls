// Keep-alive policies side by side: three functions invoked every 10
// minutes for 5 hours, each kept alive its own way (the service's default
// is a 20-minute window, Azure's in 2019).
// - `steady` keeps the service's fixed(20min): warm after its first start;
// - `learned` uses Serverless in the Wild's hybrid histogram: after a few
//   idle times of ~10 min it is unloaded after each invocation and
//   prewarmed ~9 min later, so it is warm without idling 20 minutes;
// - `frugal` keeps nothing (`none`): every invocation starts cold.
param window = fixed(20min)

platform {
  host gateway { speed 10Gf/s; cores 1; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  host node { speed 1Gf/s; cores 4; ram 16GB; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  link local { bandwidth 100MBps; latency 2us }
  route gateway <-> node via local
}

serverless faas {
  head gateway:"/"
  compute node
  container_startup 2s
  keep_alive window // fixed(10min) | none | hybrid | hybrid(4h, 1min, 5, 99, 0.1, 2)
}

image runtime { size 100MB; ram 100MB }

function steady { image runtime; limits { ram 512MB }; body { sleep 1s } }
function learned { image runtime; keep_alive hybrid; limits { ram 512MB }; body { sleep 1s } }
function frugal { image runtime; keep_alive none; limits { ram 512MB }; body { sleep 1s } }

workload {
  invoke steady on faas every 10min count 30
  invoke learned on faas every 10min count 30
  invoke frugal on faas every 10min count 30
}
