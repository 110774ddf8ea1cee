// A shared platform for examples that include it: a user machine, a gateway
// and a rack of eight compute nodes behind a top-of-rack switch link.
param nodes = 8

platform {
  host user { speed 10Gf/s; cores 4; disk "/" { size 10TB; read 200MBps; write 200MBps } }
  host gateway { speed 10Gf/s; cores 8; ram 32GB; disk "/" { size 2TB; read 500MBps; write 400MBps } }
  host node[1..nodes] {
    speed 2Gf/s; cores 16; ram 64GB
    disk "/" { size 1TB; read 500MBps; write 400MBps }
  }
  link internet { bandwidth 1Gbps; latency 10ms }
  link rack { bandwidth 10Gbps; latency 50us; sharing split_duplex }
  link port[1..nodes] { bandwidth 10Gbps; latency 5us; sharing split_duplex }
  route user <-> gateway via internet, rack
  route gateway <-> node[i] via rack, port[i]
  route user <-> node[i] via internet, rack, port[i]
  network lv08
}

storage registry on user:"/"
storage objects on gateway:"/"
