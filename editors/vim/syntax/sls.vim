" Syntax highlighting for sls serverless simulation scripts.
" Generated from src/language by tests/editors.rs; do not edit by hand.
if exists("b:current_syntax")
  finish
endif

syn keyword slsDeclaration include param platform storage serverless layer image function workload workflow sweep format
syn keyword slsDeclaration cost keep_alive placement eviction autoscaler
syn keyword slsKeyword as at body burst bus client closed compute count data disk either
syn keyword slsKeyword every extends fail for from head host in invoke limits link network
syn keyword slsKeyword on output over poisson prewarm ramp rate read repeat replay route sandbox
syn keyword slsKeyword scheduler sleep stages think to users via wait with write x
syn keyword slsFunction consistent_hash empirical exponential fixed hybrid lognormal normal quantile random top uniform
syn keyword slsConstant all azure2019 azure2021 balanced csv eviction_averse false fcfs fewest_evictions freq global greedy
syn keyword slsConstant greedy_dual hierarchical hpa kpa least_loaded local lru lv08 none off openwhisk per_application
syn keyword slsConstant per_function per_invocation ram raw round_robin shared size split_duplex true
syn keyword slsProperty agent_forward app apps backup bandwidth base_memory concurrency container_startup cores cpu cpu_follows_memory days
syn keyword slsProperty duration egress fork global_latency global_per_message idle_timeout ignore image_downloads ingress instance_memory latency layers
syn keyword slsProperty library_load local_latency local_per_message max memory min minutes named nodes order panic_threshold panic_window
syn keyword slsProperty per_gb_second per_gb_transferred per_idle_gb_second per_message per_request period plan processing_overhead ram request_payload response_payload scale_to_zero_grace
syn keyword slsProperty sharing size slots speed spread stabilization stable_window target target_rate tick time tolerance
syn keyword slsProperty worker_start
syn match slsNumber "-\?\<\d\+\(\.\d\+\)\?\([eE][+-]\?\d\+\)\?\([A-Za-zµ]\+\)\?\(/[A-Za-z]\+\)\?%\?"
syn match slsOperator "<->\|->\|\.\.\|=\|\*\|+\|-\|\^"
syn region slsString start=+"+ skip=+\\.+ end=+"\|$+
syn match slsComment "//.*$"
syn region slsComment start="/\*" end="\*/"

hi def link slsDeclaration Structure
hi def link slsKeyword Keyword
hi def link slsFunction Function
hi def link slsConstant Constant
hi def link slsProperty Identifier
hi def link slsNumber Number
hi def link slsOperator Operator
hi def link slsString String
hi def link slsComment Comment

let b:current_syntax = "sls"
