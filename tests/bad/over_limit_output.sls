// Results too large: each row names a long function, 100 million times.
platform {
  host gw { speed 1Gf/s; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  host node[1..2] { speed 1Gf/s; cores 4; ram 16GB; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  link l[1..2] { bandwidth 100MBps; latency 10us }
  route gw <-> node[i] via l[i]
}
storage repo on gw:"/"
serverless faas { head gw:"/"; compute node[*] }
image img { size 100MB; ram 100MB; from repo }
function an_uncommonly_long_function_name_that_makes_every_row_of_the_results_long_enough_to_cross_the_cap { image img; limits { ram 1GB }; body { sleep 1s } }
workload { invoke an_uncommonly_long_function_name_that_makes_every_row_of_the_results_long_enough_to_cross_the_cap every 1ms count 1e8 }
