// Generated from the grammar of record (src/language/grammar.rs) by
// tests/editors.rs; run `SLS_UPDATE_EDITORS=1 cargo test --release --test integration editors::`
// after changing the language. Do not edit by hand.
module.exports = grammar({
  name: 'sls',

  extras: $ => [/[ \t\uFEFF]/, $.comment],

  word: $ => $.identifier,

  rules: {
    source_file: $ => seq(repeat($._sep), repeat(seq($._file_statement, repeat1($._sep))), optional($._file_statement)),

    _file_statement: $ => choice($.include, $.param, $.platform, $.storage, $.serverless, $.layer, $.image, $.function, $.workload, $.workflow, $.sweep, $.format, $.cost, $.keep_alive_policy, $.placement_policy, $.eviction_policy, $.autoscaler_policy),

    _platform_statement: $ => choice($.host, $.link, $.route, $.network, $.failure),
    _platform_block: $ => seq('{', seq(repeat($._sep), repeat(seq($._platform_statement, repeat1($._sep))), optional($._platform_statement)), '}'),

    _host_statement: $ => choice($.disk, $.property),
    _host_block: $ => seq('{', seq(repeat($._sep), repeat(seq($._host_statement, repeat1($._sep))), optional($._host_statement)), '}'),

    _service_statement: $ => choice($.head, $.compute_hosts, $.scheduler, $.autoscaler, $.sandbox, $.bus, $.data, $.prewarm, $.property),
    _service_block: $ => seq('{', seq(repeat($._sep), repeat(seq($._service_statement, repeat1($._sep))), optional($._service_statement)), '}'),

    _function_statement: $ => choice($.limits, $.body, $.property),
    _function_block: $ => seq('{', seq(repeat($._sep), repeat(seq($._function_statement, repeat1($._sep))), optional($._function_statement)), '}'),

    _body_statement: $ => choice($.sleep, $.compute, $.read, $.write, $.output, $.fail),
    _body_block: $ => seq('{', seq(repeat($._sep), repeat(seq($._body_statement, repeat1($._sep))), optional($._body_statement)), '}'),

    _workload_statement: $ => choice($.invoke, $.replay, $.client),
    _workload_block: $ => seq('{', seq(repeat($._sep), repeat(seq($._workload_statement, repeat1($._sep))), optional($._workload_statement)), '}'),

    _client_statement: $ => choice($.sleep, $.invoke, $.wait),
    _client_block: $ => seq('{', seq(repeat($._sep), repeat(seq($._client_statement, repeat1($._sep))), optional($._client_statement)), '}'),

    _stages_statement: $ => choice($.ramp, $.hold),
    _stages_block: $ => seq('{', seq(repeat($._sep), repeat(seq($._stages_statement, repeat1($._sep))), optional($._stages_statement)), '}'),

    _workflow_statement: $ => choice($.chain),
    _workflow_block: $ => seq('{', seq(repeat($._sep), repeat(seq($._workflow_statement, repeat1($._sep))), optional($._workflow_statement)), '}'),

    _properties_statement: $ => choice($.property),
    _properties_block: $ => seq('{', seq(repeat($._sep), repeat(seq($._properties_statement, repeat1($._sep))), optional($._properties_statement)), '}'),

    _policy_statement: $ => choice($.rule),
    _policy_block: $ => seq('{', seq(repeat($._sep), repeat(seq($._policy_statement, repeat1($._sep))), optional($._policy_statement)), '}'),

    // reads another script, relative to this one
    include: $ => seq('include', $.string),
    // a parameter: a value the command line may change with `-p name=value`
    param: $ => seq('param', alias($.identifier, $.name), '=', $._value),
    // the hosts, links and routes the simulation runs on
    platform: $ => seq('platform', alias($._platform_block, $.block)),
    // a storage service on a host's disk, where images and data are read from
    storage: $ => seq('storage', alias($.identifier, $.name), 'on', seq(alias($.identifier, $.reference), optional($.index), ':', $.string), optional(alias($._properties_block, $.block))),
    // a serverless service: a head host, compute hosts and their policies; `extends` starts from another's
    serverless: $ => seq('serverless', alias($.identifier, $.name), optional(seq('extends', alias($.identifier, $.reference))), alias($._service_block, $.block)),
    // a layer that images may share
    layer: $ => seq('layer', alias($.identifier, $.name), alias($._properties_block, $.block)),
    // a container image: one file or a list of layers; `name[k in 1..n]` declares a family, `extends` starts from another image
    image: $ => seq('image', seq(alias($.identifier, $.name), optional($.range_index)), optional(seq('extends', alias($.identifier, $.reference))), alias($._properties_block, $.block)),
    // a function: its image, limits and body; `name[k in 1..n]` declares a family, `extends` starts from another function
    function: $ => seq('function', seq(alias($.identifier, $.name), optional($.range_index)), optional(seq('extends', alias($.identifier, $.reference))), alias($._function_block, $.block)),
    // how functions are invoked: streams, replays and clients, side by side
    workload: $ => seq('workload', alias($._workload_block, $.block)),
    // functions run one after another, in parallel or by chance
    workflow: $ => seq('workflow', alias($.identifier, $.name), alias($._workflow_block, $.block)),
    // runs the script for every combination of parameter values, each repeated
    sweep: $ => seq('sweep', choice(seq('repeat', $._value), seq($.sweep_axis, repeat(seq('x', $.sweep_axis)), optional(seq('repeat', $._value))))),
    // a parameter and the values it takes
    sweep_axis: $ => seq(alias($.identifier, $.reference), 'in', $._value),
    // a trace format declared by mapping its columns to what they mean, for `replay NAME "file.csv"`
    format: $ => seq('format', alias($.identifier, $.name), alias($._properties_block, $.block)),
    // the prices the run is billed at, in the summary: per GB-second, request, GB transferred and idle GB-second
    cost: $ => seq('cost', alias($._properties_block, $.block)),
    // a host, or an array of hosts `name[1..n]`
    host: $ => seq('host', seq(alias($.identifier, $.name), optional($.range_index)), alias($._host_block, $.block)),
    // a disk of the host, by its mount point
    disk: $ => seq('disk', $.string, alias($._properties_block, $.block)),
    // a network link, or an array of links
    link: $ => seq('link', seq(alias($.identifier, $.name), optional($.range_index)), alias($._properties_block, $.block)),
    // the links between two hosts, both ways; `host[i]` pairs arrays element by element
    route: $ => seq('route', seq(alias($.identifier, $.reference), optional($.index)), '<->', seq(alias($.identifier, $.reference), optional($.index)), 'via', seq(seq(alias($.identifier, $.reference), optional($.index)), repeat(seq(',', optional($._newlines), seq(alias($.identifier, $.reference), optional($.index)))))),
    // the network model: `lv08` (SimGrid's default) or `raw`
    network: $ => seq('network', alias($.identifier, $.constant)),
    // a host or link failure at a date, for good or for a while
    failure: $ => seq('fail', choice(seq('host', seq(alias($.identifier, $.reference), optional($.index))), seq('link', seq(alias($.identifier, $.reference), optional($.index)))), 'at', $._value, optional(seq('for', $._value))),
    // a property and its value
    property: $ => seq(alias($.identifier, $.property_name), $._value),
    // the head host and disk of the service, where images are stored
    head: $ => seq('head', seq(alias($.identifier, $.reference), optional($.index), ':', $.string)),
    // the compute hosts of the service
    compute_hosts: $ => seq('compute', seq(seq(alias($.identifier, $.reference), optional($.index)), repeat(seq(',', optional($._newlines), seq(alias($.identifier, $.reference), optional($.index)))))),
    // the policy that places invocations on compute hosts
    scheduler: $ => seq('scheduler', $._value, optional(alias($._properties_block, $.block))),
    // how many containers each function should have over time, ahead of its invocations
    autoscaler: $ => seq('autoscaler', $._value, optional(alias($._properties_block, $.block))),
    // what a container holds: one invocation, one function or one application (SAND)
    sandbox: $ => seq('sandbox', alias($.identifier, $.constant), optional(alias($._properties_block, $.block))),
    // how a workflow's triggers travel: through the controller, or SAND's hierarchical bus
    bus: $ => seq('bus', alias($.identifier, $.constant), optional(alias($._properties_block, $.block))),
    // where a workflow's outputs are stored: the host's local store or the global one
    data: $ => seq('data', alias($.identifier, $.constant), optional(alias($._properties_block, $.block))),
    // containers of a function started before any invocation
    prewarm: $ => seq('prewarm', alias($.identifier, $.reference), optional($._value)),
    // what one invocation may use
    limits: $ => seq('limits', alias($._properties_block, $.block)),
    // what one invocation does, step by step
    body: $ => seq('body', alias($._body_block, $.block)),
    // waits for a time
    sleep: $ => seq('sleep', $._value),
    // computes an amount of flops at one core's speed
    compute: $ => seq('compute', $._value),
    // reads from the scratch disk, or from a storage over the network
    read: $ => seq('read', $._value, optional(seq('from', alias($.identifier, $.reference)))),
    // writes to the scratch disk, or to a storage over the network
    write: $ => seq('write', $._value, optional(seq('to', alias($.identifier, $.reference)))),
    // the output passed to the workflow's next functions
    output: $ => seq('output', $._value),
    // the body's own error, with this probability per run
    fail: $ => seq('fail', $._value),
    // a stream of invocations of a function or workflow; `f[k in 1..n]` is a stream per member of a family
    invoke: $ => seq('invoke', seq(alias($.identifier, $.reference), optional($.index)), repeat(choice($.on, $.at, $.every, $.poisson, $.rate, $.closed, $.count, $.for, $.burst, $.ramp, $.stages, $.with))),
    // invocations read from a trace
    replay: $ => seq('replay', alias($.identifier, $.constant), $._value, repeat(choice($.on, $.as)), optional(alias($._properties_block, $.block))),
    // a scripted client: requests one after another, waits and sleeps
    client: $ => seq('client', alias($._client_block, $.block)),
    // waits until everything the client invoked has finished
    wait: $ => 'wait',
    // the service that runs it (may be left out with one service)
    on: $ => seq('on', alias($.identifier, $.reference)),
    // the function every trace function is made from
    as: $ => seq('as', alias($.identifier, $.reference)),
    // the date of the first invocation
    at: $ => seq('at', $._value),
    // invocations at a fixed interval
    every: $ => seq('every', $._value),
    // invocations at random dates, at this mean rate
    poisson: $ => seq('poisson', choice($.ramp, $.stages, $._value)),
    // evenly paced invocations at this rate
    rate: $ => seq('rate', choice($.ramp, $.stages, $._value)),
    // a closed loop: each user invokes, waits for the answer, thinks, and again
    closed: $ => seq('closed', $._value, 'users', optional(seq('think', $._value))),
    // how many invocations
    count: $ => seq('count', $._value),
    // how long the stream lasts
    for: $ => seq('for', $._value),
    // this many invocations at once
    burst: $ => seq('burst', $._value),
    // a rate that grows or shrinks steadily
    ramp: $ => seq('ramp', '(', $._value, seq('->', optional($._newlines)), $._value, ')', 'over', $._value),
    // rates one after another
    stages: $ => seq('stages', alias($._stages_block, $.block)),
    // a rate held for a time
    hold: $ => seq($._value, 'for', $._value),
    // functions joined by arrows: a join waits for all, `either` runs one
    chain: $ => seq($._group, repeat1(seq(seq('->', optional($._newlines)), $._group))),
    // the values each invocation passes to the body's `trace.` fields
    with: $ => seq('with', alias($._properties_block, $.block)),
    // a keep-alive policy written as expressions, chosen by its name like a built-in (`keep_alive NAME`)
    keep_alive_policy: $ => seq('keep_alive', alias($.identifier, $.name), alias($._policy_block, $.block)),
    // a placement policy written as expressions: each invocation goes to the node of best score (`scheduler NAME`)
    placement_policy: $ => seq('placement', alias($.identifier, $.name), alias($._policy_block, $.block)),
    // an eviction policy written as expressions: the idle containers of lowest priority leave first (`eviction NAME`)
    eviction_policy: $ => seq('eviction', alias($.identifier, $.name), alias($._policy_block, $.block)),
    // an autoscaler written as expressions: each function's desired container count (`autoscaler NAME`)
    autoscaler_policy: $ => seq('autoscaler', alias($.identifier, $.name), alias($._policy_block, $.block)),
    // a rule of a policy: what it decides and the expression that decides it
    rule: $ => seq(alias($.identifier, $.property_name), $._value, optional(seq('=', $._value))),

    _properties_block: $ => seq('{', repeat($._sep), repeat(seq($.property, repeat1($._sep))), optional($.property), '}'),

    // Statements end at a new line or `;`.
    _sep: $ => choice($._newline, ';'),
    _newline: $ => /\r?\n/,
    _newlines: $ => repeat1($._newline),

    _group: $ => choice($.flow, $.all, $.either),
    flow: $ => seq(alias($.identifier, $.reference), optional($.quantity)),
    all: $ => seq('[', optional($._newlines), $._flows, ']'),
    either: $ => seq('either', '[', optional($._newlines), $._flows, ']'),
    _flows: $ => seq($.flow, repeat(seq(',', optional($._newlines), $.flow)), optional(','), optional($._newlines)),

    range_index: $ => seq('[', optional($.variable), $._value, ']'),
    index: $ => seq('[', choice('*', seq(optional($.variable), $._value)), ']'),
    variable: $ => seq(alias($.identifier, $.index_name), 'in'),

    _value: $ => choice($.range, $._expression),
    range: $ => seq($._expression, '..', $._expression),
    _expression: $ => choice($.binary, $.negative, $._term),
    binary: $ => choice(
      prec.left(1, seq($._expression, choice('+', '-'), $._expression)),
      prec.left(2, seq($._expression, choice('*', '/'), $._expression)),
      prec.right(3, seq($._expression, '^', $._expression)),
    ),
    negative: $ => prec.right(3, seq('-', $._expression)),
    _term: $ => choice($.quantity, $.string, $.list, $.call, $.path, $.indexed, $.identifier, $.parenthesized),
    call: $ => seq(field('function', $.identifier), '(', optional($._newlines), optional($._values), ')'),
    list: $ => seq('[', optional($._newlines), optional($._values), ']'),
    _values: $ => seq($._value, repeat(seq(',', optional($._newlines), $._value)), optional(','), optional($._newlines)),
    path: $ => seq($.identifier, repeat1(seq('.', $.identifier))),
    indexed: $ => seq($.identifier, $.index),
    parenthesized: $ => seq('(', optional($._newlines), $._value, optional($._newlines), ')'),

    // `10`, `2.5e3`, `250MB`, `10Gf/s`, `50/s`, `30%`.
    quantity: $ => /[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?([A-Za-zµ]+)?(\/[A-Za-z]+)?%?/,
    string: $ => /"([^"\\\n]|\\.)*"/,
    identifier: $ => /[A-Za-z_][A-Za-z0-9_]*/,
    comment: $ => token(choice(seq('//', /[^\n]*/), seq('/*', /[^*]*\*+([^/*][^*]*\*+)*/, '/'))),
  },
});
