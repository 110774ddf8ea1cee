// Two serverless services on one platform: a latency-sensitive pool with
// warm containers and a batch pool with cold containers, fed by separate
// streams over routes of several links.
platform {
  host client { speed 2Gf/s; cores 2; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  host edge { speed 8Gf/s; cores 8; disk "/" { size 1TB; read 400MBps; write 400MBps } }
  host core { speed 8Gf/s; cores 8; disk "/" { size 4TB; read 400MBps; write 400MBps } }
  host fast[1..4] { speed 3Gf/s; cores 16; ram 64GB; disk "/" { size 1TB; read 1GBps; write 800MBps } }
  host slow[1..8] { speed 1Gf/s; cores 8; ram 32GB; disk "/" { size 4TB; read 150MBps; write 150MBps } }
  link access { bandwidth 100Mbps; latency 15ms }
  link backbone { bandwidth 40Gbps; latency 2ms; sharing split_duplex }
  link edge_lan[1..4] { bandwidth 10Gbps; latency 10us }
  link core_lan[1..8] { bandwidth 1Gbps; latency 50us }
  route client <-> edge via access
  route edge <-> core via backbone
  route edge <-> fast[i] via edge_lan[i]
  route core <-> slow[i] via core_lan[i]
  network raw
}

storage images on core:"/"

serverless interactive {
  head edge:"/"
  compute fast[*]
  container_startup 300ms
  idle_timeout 15min
  image_downloads off
}

serverless batch {
  head core:"/"
  compute slow[*]
  scheduler balanced
  container_startup 5s
  idle_timeout 0s
}

image web { size 150MB; ram 64MB }
image spark { size 2GB; ram 1GB; from images }

function search { image web; limits { time 2s; ram 256MB }; body { sleep 15ms; compute 50Mf } }
function nightly { image spark; limits { time 1h; ram 8GB; disk 50GB }; body { compute 3Tf } }

workload {
  invoke search on interactive poisson 500/s for 10min
  invoke nightly on batch at 1min every 2min count 8
}
