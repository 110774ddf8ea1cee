// A script written carelessly: `sls fmt` lays it out.
param   nodes=4 // how many
param seed = 42      // the seed


platform {   host gateway {speed 10Gf/s ; cores 1;disk "/" { size 5000GB;read 100MBps; write 100MBps } }
    host node[ 1 .. nodes ] {
        speed 1Gf/s; cores 10 ; ram 64GB
        disk "/" {size 5000GiB; read 100MBps; write 100MBps}

    }
  link local[1..nodes] { bandwidth 100MBps ; latency 2us }
route gateway<->node[ i ] via local[i]
 /* the network */ network lv08
}
storage repo on gateway : "/"
serverless faas { head gateway:"/"; compute node[ * ]; scheduler random( 3 ) ; idle_timeout 0s ; }
image runtime { size 250MB; ram 250MB; from repo }
function work {
image runtime
  limits { time 60s; ram 200MB }
  body { sleep uniform( 10s ,90s ) ; output 1MB }
}
workflow w { work -> [ work , work ] ->
work
  work -> either [work 90%,work 10%] }
workload {
  invoke work every 1s count 200 ;
  invoke w poisson ramp ( 1/s -> 10/s ) over 1min for 2min
  invoke w poisson ( 30/min ) for 1min
  replay csv "../../examples/traces/plain_sample.csv" { }
}
sweep nodes in [2,4,
  8] x seed in [1, 2] repeat 2;
image  img[ k in 1..2 ]extends runtime { size 100MB+k*2MB;ram -(-250MB) }
function   f[k   in 1 .. 2] extends work{ image img[ k ] ; body { sleep ( k-1 )*1s+-2s*-1 } }
workload { invoke f[ k in 1..2 ] rate 300^( ( k-1 )/49 )*1/min for 2^ 2*1min }
