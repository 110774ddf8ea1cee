// A syntax error does not stop the check of the rest of the script: the
// unknown image of `h` and the unknown function `k` are reported, while
// `g`, declared by the broken statement, is not reported unknown.
platform {
  host a { speed 1Gf/s; cores 2; ram 4GB; disk "/" { size 10GB; read 1GBps; write 1GBps } }
}
serverless faas { head a:"/"; compute a }
function g { image = = 3; body { sleep 1s } }
function h { image nope; limits { ram 1GB }; body { sleep 1s } }
workload { invoke g at 1s; invoke k at 2s }
