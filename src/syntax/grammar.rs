//! The pest parser generated from `grammar/sls.pest`, and a human name for
//! every rule so that parse errors speak the user's language.

use pest_derive::Parser;

/// The parser of `.sls` files.
#[derive(Parser)]
#[grammar = "../grammar/sls.pest"]
pub struct SlsParser;

/// How a rule is named in "expected ..." messages. The match is exhaustive
/// on purpose: a new grammar rule does not compile until it has a name.
pub fn rule_name(rule: Rule) -> &'static str {
    match rule {
        Rule::EOI => "the end of the statement",
        Rule::WHITESPACE | Rule::COMMENT => "whitespace",
        Rule::nl | Rule::sep => "a new line or `;`",
        Rule::gap => "a new line",
        Rule::file | Rule::item | Rule::item_strict | Rule::item_line | Rule::bad_item => {
            "a declaration (`platform`, `function`, `workload`, ...)"
        }
        Rule::bad_stmt => "a statement",
        Rule::balanced => "a `{ ... }` block",
        Rule::include_decl => "`include \"file.sls\"`",
        Rule::param_decl => "`param name = value`",
        Rule::assign_op => "`=`",
        Rule::property | Rule::property_line => "a property such as `cores 4`",
        Rule::prop_name => "a property name",
        Rule::prop_block => "a `{ ... }` block of properties",
        Rule::platform_block => "`platform { ... }`",
        Rule::platform_stmt | Rule::platform_strict | Rule::platform_line => {
            "`host`, `link`, `route` or `network`"
        }
        Rule::host_decl => "`host name { ... }`",
        Rule::host_stmt | Rule::host_strict | Rule::host_line => "a host property or `disk`",
        Rule::disk_decl => "`disk \"/\" { ... }`",
        Rule::link_decl => "`link name { ... }`",
        Rule::decl_name => "a name, or `name[1..n]` for an array",
        Rule::route_decl => "`route a <-> b via link`",
        Rule::both_ways => "`<->`",
        Rule::network_decl => "`network lv08` or `network raw`",
        Rule::host_ref => "a host such as `node[1]`",
        Rule::link_ref => "a link such as `local[i]`",
        Rule::index => "an index, a range or `*`",
        Rule::all_index => "`*`",
        Rule::disk_ref => "a disk such as `gateway:\"/\"`",
        Rule::storage_decl => "`storage name on host:\"/\"`",
        Rule::serverless_block => "`serverless name { ... }`",
        Rule::service_stmt | Rule::service_strict | Rule::service_line => "a service property",
        Rule::head_decl => "`head host:\"/\"`",
        Rule::compute_decl => "`compute node[*]`",
        Rule::scheduler_decl => "`scheduler fcfs`",
        Rule::sandbox_decl => "`sandbox per_function`",
        Rule::bus_decl => "`bus global` or `bus hierarchical`",
        Rule::data_decl => "`data local { ... }` or `data global { ... }`",
        Rule::prewarm_decl => "`prewarm function count`",
        Rule::layer_decl => "`layer name { size ... }`",
        Rule::image_decl => "`image name { ... }`",
        Rule::function_decl => "`function name { ... }`",
        Rule::function_stmt | Rule::function_strict | Rule::function_line => {
            "`image`, `app`, `limits` or `body`"
        }
        Rule::limits_decl => "`limits { ... }`",
        Rule::body_decl => "`body { ... }`",
        Rule::step | Rule::step_strict | Rule::step_line => {
            "a step: `sleep`, `compute`, `read`, `write`, `output` or `fail`"
        }
        Rule::sleep_step => "`sleep 1s`",
        Rule::compute_step => "`compute 1Gf`",
        Rule::read_step => "`read 10MB`",
        Rule::write_step => "`write 10MB`",
        Rule::output_step => "`output 1MB`",
        Rule::fail_step => "`fail 1%`",
        Rule::workload_block => "`workload { ... }`",
        Rule::workload_stmt | Rule::workload_strict | Rule::workload_line => {
            "`invoke`, `replay` or `client`"
        }
        Rule::client_block => "`client { ... }`",
        Rule::client_stmt | Rule::client_strict | Rule::client_line => {
            "`invoke`, `wait` or `sleep`"
        }
        Rule::wait_step => "`wait`",
        Rule::kw_client => "`client`",
        Rule::kw_wait => "`wait`",
        Rule::invoke_stmt => "`invoke function ...`",
        Rule::invoke_clause => "an invocation clause",
        Rule::on_clause => "`on service`",
        Rule::at_clause => "`at 10s`",
        Rule::every_clause => "`every 1s`",
        Rule::poisson_clause => "`poisson 10/s`",
        Rule::rate_clause => "`rate 10/s`",
        Rule::closed_clause => "`closed 10 users`",
        Rule::count_clause => "`count 100`",
        Rule::for_clause => "`for 10min`",
        Rule::burst_clause => "`burst 10`",
        Rule::profile => "a rate profile (`ramp(..)` or `stages { .. }`)",
        Rule::ramp => "`ramp(1/s -> 10/s) over 1min`",
        Rule::stages => "`stages { ... }`",
        Rule::stage | Rule::stage_strict | Rule::stage_line => {
            "a stage: `10/s for 1min` or `ramp(..) over ..`"
        }
        Rule::hold_stage => "`10/s for 1min`",
        Rule::replay_stmt => "`replay format \"path\"`",
        Rule::replay_clause => "`on service` or `as function`",
        Rule::as_clause => "`as function`",
        Rule::workflow_decl => "`workflow name { ... }`",
        Rule::workflow_stmt | Rule::workflow_line | Rule::edge_chain => {
            "an edge chain such as `a -> b`"
        }
        Rule::node_group => "a function, `[a, b]` or `either [a 50%, b 50%]`",
        Rule::all_group => "`[a, b]`",
        Rule::either_group => "`either [a 50%, b 50%]`",
        Rule::flow_node => "a function name",
        Rule::arrow => "`->`",
        Rule::sweep_decl => "`sweep param in [..]`",
        Rule::sweep_axis => "`param in [values]`",
        Rule::expr | Rule::term | Rule::named => "a value",
        Rule::override_line => "`name=value`",
        Rule::range_op => "`..`",
        Rule::call_args => "arguments such as `(1s, 2s)`",
        Rule::list => "a list such as `[1, 2]`",
        Rule::path_rest => "a dotted name such as `trace.duration`",
        Rule::index_part => "an index such as `[1]`",
        Rule::quantity => "a number such as `10s` or `250MB`",
        Rule::number => "a number",
        Rule::unit => "a unit",
        Rule::per => "`/` and a time unit",
        Rule::percent => "a percentage such as `30%`",
        Rule::percent_sign => "`%`",
        Rule::string => "a string in double quotes",
        Rule::string_inner => "string contents",
        Rule::escape => "an escape such as `\\n`",
        Rule::ident => "a name",
        Rule::ident_char => "a letter, digit or `_`",
        Rule::kw_include => "`include`",
        Rule::kw_param => "`param`",
        Rule::kw_platform => "`platform`",
        Rule::kw_host => "`host`",
        Rule::kw_disk => "`disk`",
        Rule::kw_link => "`link`",
        Rule::kw_route => "`route`",
        Rule::kw_via => "`via`",
        Rule::kw_network => "`network`",
        Rule::kw_storage => "`storage`",
        Rule::kw_on => "`on`",
        Rule::kw_serverless => "`serverless`",
        Rule::kw_head => "`head`",
        Rule::kw_compute => "`compute`",
        Rule::kw_scheduler => "`scheduler`",
        Rule::kw_sandbox => "`sandbox`",
        Rule::kw_bus => "`bus`",
        Rule::kw_data => "`data`",
        Rule::kw_prewarm => "`prewarm`",
        Rule::kw_layer => "`layer`",
        Rule::kw_image => "`image`",
        Rule::kw_function => "`function`",
        Rule::kw_limits => "`limits`",
        Rule::kw_body => "`body`",
        Rule::kw_sleep => "`sleep`",
        Rule::kw_read => "`read`",
        Rule::kw_write => "`write`",
        Rule::kw_output => "`output`",
        Rule::kw_fail => "`fail`",
        Rule::kw_from => "`from`",
        Rule::kw_to => "`to`",
        Rule::kw_workload => "`workload`",
        Rule::kw_invoke => "`invoke`",
        Rule::kw_at => "`at`",
        Rule::kw_every => "`every`",
        Rule::kw_poisson => "`poisson`",
        Rule::kw_rate => "`rate`",
        Rule::kw_closed => "`closed`",
        Rule::kw_users => "`users`",
        Rule::kw_think => "`think`",
        Rule::kw_count => "`count`",
        Rule::kw_for => "`for`",
        Rule::kw_burst => "`burst`",
        Rule::kw_ramp => "`ramp`",
        Rule::kw_over => "`over`",
        Rule::kw_stages => "`stages`",
        Rule::kw_replay => "`replay`",
        Rule::kw_as => "`as`",
        Rule::kw_workflow => "`workflow`",
        Rule::kw_either => "`either`",
        Rule::kw_sweep => "`sweep`",
        Rule::kw_x => "`x`",
        Rule::kw_in => "`in`",
        Rule::kw_repeat => "`repeat`",
    }
}
