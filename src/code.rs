//! The table of diagnostic codes: every mistake `sls` reports, from the
//! parser, the checker, the trace readers and the run, has one code here
//! with what it means, how to fix it and an example that makes it (for the
//! checker's, the script of `tests/bad/` that a test checks against).
//! `sls explain CODE` prints an entry.

use std::fmt;

use serde::Serialize;

/// An example of a mistake.
#[derive(Debug, Clone, Copy)]
pub enum Example {
    /// A whole script that makes the mistake (and nothing else).
    Script(&'static str),
    /// A sketch of the mistake.
    Text(&'static str),
}

/// Declares the codes: the enum, its written form and its explanation.
macro_rules! codes {
    ($($variant:ident = $code:literal { $summary:expr, $fix:expr, $example:expr, })*) => {
        /// A stable diagnostic code, written like `sls::unknown_host`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $($variant),*
        }

        impl Code {
            /// Every code, in the order of the table.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The code as written: `sls::unknown_host`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code),*
                }
            }

            /// What the mistake is.
            pub fn summary(self) -> &'static str {
                match self {
                    $(Code::$variant => $summary),*
                }
            }

            /// How to fix it.
            pub fn fix(self) -> &'static str {
                match self {
                    $(Code::$variant => $fix),*
                }
            }

            /// An example that makes it.
            pub fn example(self) -> Example {
                match self {
                    $(Code::$variant => $example),*
                }
            }
        }
    };
}

codes! {
    ParseUnexpected = "sls::parse::unexpected" {
        "A statement does not have the shape its keyword needs: a part is missing, misspelled or out of place.",
        "write the statement as the grammar wants it; the message names what was expected there and the language tour in README.md shows every statement.",
        Example::Script(include_str!("../tests/bad/parse_missing_value.sls")),
    }
    ParseUnknownStatement = "sls::parse::unknown_statement" {
        "A line starts with a word that is no statement of its block.",
        "use one of the block's statements (the help lists them, or suggests the nearest), or move the line to the block it belongs in.",
        Example::Script(include_str!("../tests/bad/parse_unknown_item.sls")),
    }
    ParseMisplaced = "sls::parse::misplaced" {
        "A statement stands in a block where it cannot be used.",
        "move it into the block it belongs in, which the help names (`host` goes in `platform { ... }`).",
        Example::Script(include_str!("../tests/bad/parse_misplaced_host.sls")),
    }
    ParseDetachedUnit = "sls::parse::detached_unit" {
        "A space separates a number from its unit, which makes them two words.",
        "write the unit right after the number: `100MB`, not `100 MB`.",
        Example::Script(include_str!("../tests/bad/parse_detached_unit.sls")),
    }
    ParseInvalidCharacter = "sls::parse::invalid_character" {
        "A character no token starts with.",
        "remove it: outside strings and comments a script uses names, numbers and `{}[](),;:=<->.*/%`.",
        Example::Script(include_str!("../tests/bad/parse_invalid_character.sls")),
    }
    ParseLookalike = "sls::parse::lookalike" {
        "A character that looks like one of the language's but is another (curly quotes, a Unicode arrow or minus, a no-break space), often pasted from a word processor.",
        "replace it with the plain character the message names.",
        Example::Script(include_str!("../tests/bad/parse_smart_quotes.sls")),
    }
    ParseUnclosedString = "sls::parse::unclosed_string" {
        "A string has no closing `\"` on its line.",
        "end the string with `\"` on the same line; write `\\\"` for a quote inside it.",
        Example::Script(include_str!("../tests/bad/parse_unclosed_string.sls")),
    }
    ParseUnclosedComment = "sls::parse::unclosed_comment" {
        "A `/*` comment has no `*/`.",
        "close it with `*/`, or use `//` for a comment up to the end of the line.",
        Example::Script(include_str!("../tests/bad/parse_unclosed_comment.sls")),
    }
    ParseUnbalanced = "sls::parse::unbalanced" {
        "A `{`, `[` or `(` is never closed, or a closing one closes nothing or the wrong one.",
        "add or remove brackets so that each one closes the last one opened.",
        Example::Script(include_str!("../tests/bad/parse_unclosed_brace.sls")),
    }
    ParseTooDeep = "sls::parse::too_deep" {
        "Brackets and braces nest more than 64 deep.",
        "a script needs a few levels at most: look for brackets that are never closed.",
        Example::Script(include_str!("../tests/bad/parse_too_deep.sls")),
    }
    ParseUnknownEscape = "sls::parse::unknown_escape" {
        "A backslash in a string is followed by a character that is no escape.",
        "the escapes are `\\\"`, `\\\\`, `\\n` and `\\t`; write `\\\\` for a backslash itself.",
        Example::Script(include_str!("../tests/bad/parse_unknown_escape.sls")),
    }
    ParseNumberOutOfRange = "sls::parse::number_out_of_range" {
        "A number too large to be represented.",
        "write a smaller number, or use a larger unit (`5TB`, not `5000000000000000000000B`).",
        Example::Script(include_str!("../tests/bad/number_too_large.sls")),
    }
    IncludeNotFound = "sls::include_not_found" {
        "An included file cannot be read.",
        "correct the path: it is relative to the folder of the including file.",
        Example::Script(include_str!("../tests/bad/include_not_found.sls")),
    }
    IncludeNotText = "sls::include_not_text" {
        "An included file is not UTF-8 text.",
        "include `.sls` scripts only.",
        Example::Script(include_str!("../tests/bad/include_not_text.sls")),
    }
    NotAFile = "sls::not_a_file" {
        "An included script or an `empirical` CSV file is a device, a FIFO or a folder, which may never end or never open.",
        "save what it holds to a regular file and name that.",
        Example::Script(include_str!("../tests/bad/include_device.sls")),
    }
    FileTooLarge = "sls::file_too_large" {
        "An included script is over 1 MiB, or an `empirical` CSV file over 64 MiB.",
        "check that the path names the file meant; split a larger script into files that include each other.",
        Example::Script(include_str!("../tests/bad/include_too_large.sls")),
    }
    IncludeCycle = "sls::include_cycle" {
        "Files include each other in a cycle.",
        "remove one of the includes of the cycle; shared declarations go in a file that includes nothing back.",
        Example::Script(include_str!("../tests/bad/include_cycle.sls")),
    }
    DuplicateName = "sls::duplicate_name" {
        "Two declarations of one kind have the same name (two hosts `node`, two parameters `seed`).",
        "give each its own name, or remove one; change a parameter's value with `-p name=value` rather than declaring it again.",
        Example::Script(include_str!("../tests/bad/duplicate_host.sls")),
    }
    DuplicateProperty = "sls::duplicate_property" {
        "A property is set twice in one block.",
        "keep one of them.",
        Example::Script(include_str!("../tests/bad/duplicate_property.sls")),
    }
    DuplicateClause = "sls::duplicate_clause" {
        "An invocation stream says the same thing twice (two `every`, two `count`).",
        "keep one of them.",
        Example::Script(include_str!("../tests/bad/duplicate_clause.sls")),
    }
    DuplicateComputeHost = "sls::duplicate_compute_host" {
        "A service names the same compute host twice.",
        "name each compute host once (`node[*]` already names every node).",
        Example::Script(include_str!("../tests/bad/duplicate_compute_host.sls")),
    }
    UnreadParam = "sls::unread_param" {
        "A warning: a parameter no expression of the script reads. `-p name=value` then changes nothing, and a sweep over it runs every point alike (the same model, the same seeds, the same results).",
        "write the parameter where its value belongs (`cores nodes`, `scheduler policy`), or remove it; sweep a parameter the script reads.",
        Example::Script(include_str!("../tests/warn/unread_param.sls")),
    }
    SharedComputeHosts = "sls::shared_compute_hosts" {
        "A warning: a service lists a compute host an earlier service lists too. Each service counts the node's RAM, disk and slots as its own (as WRENCH's services do), so together they may hold more than the node has; their bodies share its cores and links.",
        "give each service its own compute hosts for one account of each node; keep them shared only to reproduce WRENCH's separate accounts.",
        Example::Script(include_str!("../tests/warn/shared_compute_hosts.sls")),
    }
    DuplicateEdge = "sls::duplicate_edge" {
        "A workflow writes the same dependency twice.",
        "write each edge once.",
        Example::Script(include_str!("../tests/bad/duplicate_edge.sls")),
    }
    DuplicateLayer = "sls::duplicate_layer" {
        "An image lists a layer twice.",
        "list each layer once.",
        Example::Script(include_str!("../tests/bad/duplicate_layer.sls")),
    }
    DuplicateNetwork = "sls::duplicate_network" {
        "The network model is set twice.",
        "keep one `network` line.",
        Example::Script(include_str!("../tests/bad/duplicate_network.sls")),
    }
    DuplicateRoute = "sls::duplicate_route" {
        "Two routes join the same pair of hosts.",
        "keep one route per pair, listing all its links.",
        Example::Script(include_str!("../tests/bad/duplicate_route.sls")),
    }
    DuplicateSweep = "sls::duplicate_sweep" {
        "A parameter is swept twice, or there are two `repeat`s.",
        "sweep each parameter in one axis; write `repeat` once.",
        Example::Script(include_str!("../tests/bad/duplicate_sweep.sls")),
    }
    DuplicateCost = "sls::duplicate_cost" {
        "Two `cost` blocks: a run is billed at one set of prices.",
        "keep one `cost` block (an included price list counts as one); `sls run --cost` overrides it for a run.",
        Example::Script(include_str!("../tests/bad/cost_twice.sls")),
    }
    PriceWithUnit = "sls::price_with_unit" {
        "A price written with a unit: its unit is in the price's name (`per_gb_second`, `per_gb_transferred`).",
        "write the price as a plain number of the currency: `per_gb_transferred 0.09`.",
        Example::Script(include_str!("../tests/bad/cost_price_with_unit.sls")),
    }
    NegativePrice = "sls::negative_price" {
        "A negative price in a `cost` block.",
        "write zero or more; leave a price out to bill nothing for it.",
        Example::Script(include_str!("../tests/bad/cost_negative_price.sls")),
    }
    UnknownHost = "sls::unknown_host" {
        "A host is named where none of that name is declared.",
        "declare it in `platform`, or correct the name (the help suggests the nearest declared one).",
        Example::Script(include_str!("../tests/bad/unknown_host.sls")),
    }
    UnknownLink = "sls::unknown_link" {
        "A link is named where none of that name is declared.",
        "declare it in `platform`, or correct the name.",
        Example::Script(include_str!("../tests/bad/unknown_link.sls")),
    }
    UnknownDisk = "sls::unknown_disk" {
        "A host has no disk at the mount point named.",
        "use a mount point the host declares (`gateway:\"/\"`), or add the disk to the host.",
        Example::Script(include_str!("../tests/bad/unknown_disk.sls")),
    }
    UnknownStorage = "sls::unknown_storage" {
        "A storage is named where none of that name is declared.",
        "declare it (`storage repo on gateway:\"/\"`), or correct the name.",
        Example::Script(include_str!("../tests/bad/unknown_storage.sls")),
    }
    UnknownService = "sls::unknown_service" {
        "A service is named where none of that name is declared.",
        "declare it (`serverless faas { ... }`), or correct the name.",
        Example::Script(include_str!("../tests/bad/unknown_service.sls")),
    }
    UnknownLayer = "sls::unknown_layer" {
        "An image lists a layer that is not declared.",
        "declare it (`layer python { size 300MB }`), or correct the name.",
        Example::Script(include_str!("../tests/bad/unknown_layer.sls")),
    }
    UnknownImage = "sls::unknown_image" {
        "A function runs in an image that is not declared.",
        "declare it (`image runtime { size 250MB }`), or correct the name.",
        Example::Script(include_str!("../tests/bad/unknown_image.sls")),
    }
    UnknownFunction = "sls::unknown_function" {
        "A function is named (invoked, prewarmed, in a workflow, as a template) where none of that name is declared.",
        "declare it, or correct the name (the help suggests the nearest).",
        Example::Script(include_str!("../tests/bad/unknown_function.sls")),
    }
    ExtendsCycle = "sls::extends_cycle" {
        "Declarations extend each other in a cycle (`function a extends b`, `function b extends a`).",
        "let one of them stand on its own: write its properties rather than extending.",
        Example::Script(include_str!("../tests/bad/extends_cycle.sls")),
    }
    TemplateWithoutAs = "sls::template_without_as" {
        "A CSV trace replayed without `as` invokes a trace template (a function reading `trace.*`) by name: rows are matched by name to functions that are not templates, so the run would not find it.",
        "add `as NAME` to the replay whose rows should run as this function: `replay csv \"calls.csv\" as work`.",
        Example::Script(include_str!("../tests/bad/template_without_as.sls")),
    }
    UnknownParam = "sls::unknown_param" {
        "A parameter is named (in a sweep, or by `-p`) that the script does not declare.",
        "declare it with `param name = value`, or correct the name.",
        Example::Script(include_str!("../tests/bad/sweep_unknown_param.sls")),
    }
    UnknownProperty = "sls::unknown_property" {
        "A block has no property of that name.",
        "use a property the block accepts (the help lists them, or says where the property belongs).",
        Example::Script(include_str!("../tests/bad/unknown_property.sls")),
    }
    UnknownChoice = "sls::unknown_choice" {
        "A value is not one of the words its property accepts (an unknown scheduler, sharing mode, eviction policy...).",
        "write one of the words the help lists.",
        Example::Script(include_str!("../tests/bad/unknown_scheduler.sls")),
    }
    UnknownUnit = "sls::unknown_unit" {
        "A number has a unit suffix the language does not know.",
        "use a known unit: see the table of units in README.md (`ms`, `MB`, `Gbps`, `Gf/s`...).",
        Example::Script(include_str!("../tests/bad/unknown_unit.sls")),
    }
    UnknownDistribution = "sls::unknown_distribution" {
        "A value calls a distribution the language does not have.",
        "use `uniform`, `normal`, `lognormal`, `exponential` or `empirical`.",
        Example::Script(include_str!("../tests/bad/unknown_distribution.sls")),
    }
    UnknownNetworkModel = "sls::unknown_network_model" {
        "`network` names a model the engine does not have.",
        "write `network lv08` (SimGrid's default, with TCP corrections) or `network raw`.",
        Example::Script(include_str!("../tests/bad/unknown_network_model.sls")),
    }
    UnknownTraceFormat = "sls::unknown_trace_format" {
        "`replay` names a trace format the readers do not know.",
        "write `azure2019` (a folder), `azure2021` or `csv` (a file), or the name of a `format` the script declares (or includes, as `examples/traces/huawei2025_requests.sls`).",
        Example::Script(include_str!("../tests/bad/unknown_trace_format.sls")),
    }
    UnknownTraceField = "sls::unknown_trace_field" {
        "A function uses a `trace.` field a trace (or an invocation's `with`) does not give.",
        "use `trace.duration` or `trace.memory`.",
        Example::Script(include_str!("../tests/bad/unknown_trace_field.sls")),
    }
    UnknownTraceColumn = "sls::unknown_trace_column" {
        "A trace mapping names a column the trace's header does not have.",
        "name the column as the first line of the trace file writes it (the help lists them, or suggests the nearest).",
        Example::Script(include_str!("../tests/bad/unknown_trace_column.sls")),
    }
    BadMapping = "sls::bad_mapping" {
        "A trace mapping's property is not a column of the trace, a unit or a value it can use.",
        "map a meaning to a column with its unit, `duration column(\"runtime\", 1ms)`, dates with a time unit or `timestamp(\"%Y-%m-%d %H:%M:%S\")`; give a value for what the trace lacks (`memory 128MB`); `period`, `spread` and `ignore` go with `function header`.",
        Example::Script(include_str!("../tests/bad/bad_mapping.sls")),
    }
    MissingArgument = "sls::missing_argument" {
        "An invocation with `with` does not give a `trace.` field its function uses.",
        "give every field the function uses: `invoke work with { duration 40s }`.",
        Example::Script(include_str!("../tests/bad/missing_argument.sls")),
    }
    UnusedArgument = "sls::unused_argument" {
        "`with` gives a value the invoked function does not use (or `with` is on a workflow).",
        "remove the value, or use its `trace.` field in the function's body or limits.",
        Example::Script(include_str!("../tests/bad/unused_argument.sls")),
    }
    AmbiguousHost = "sls::ambiguous_host" {
        "A host name matches an array without an index, where one host is meant.",
        "index it: `node[1]`, or `node[i]` in a route.",
        Example::Script(include_str!("../tests/bad/ambiguous_host.sls")),
    }
    AmbiguousLink = "sls::ambiguous_link" {
        "A link name matches an array without an index, where one link is meant.",
        "index it: `lan[1]`, or `lan[i]` in a route.",
        Example::Script(include_str!("../tests/bad/ambiguous_link.sls")),
    }
    MissingIndex = "sls::missing_index" {
        "An array element is needed but no index is given.",
        "write the index: `node[2]`.",
        Example::Script(include_str!("../tests/bad/missing_index.sls")),
    }
    NotAnArray = "sls::not_an_array" {
        "A name that is not an array is indexed.",
        "drop the index, or declare the name as an array (`host node[1..4]`).",
        Example::Script(include_str!("../tests/bad/not_an_array.sls")),
    }
    IndexOutOfRange = "sls::index_out_of_range" {
        "An index is outside the array's range.",
        "use an index within the range the array is declared with.",
        Example::Script(include_str!("../tests/bad/index_out_of_range.sls")),
    }
    UnboundIndex = "sls::unbound_index" {
        "An index variable (`i`) is used where nothing gives it values.",
        "use the variable in a route whose first side ranges over an array (`route gw <-> node[i] via lan[i]`), or write a number.",
        Example::Script(include_str!("../tests/bad/unbound_index.sls")),
    }
    EmptyRange = "sls::empty_range" {
        "A range holds no element (`node[3..1]`).",
        "write the smaller bound first: `1..3`.",
        Example::Script(include_str!("../tests/bad/empty_range.sls")),
    }
    MissingProperty = "sls::missing_property" {
        "A block lacks a property it needs (a host's `speed`, a service's `head`...).",
        "add it; the help shows how.",
        Example::Script(include_str!("../tests/bad/missing_property.sls")),
    }
    MissingUnit = "sls::missing_unit" {
        "A number without a unit where a time, a size or a rate is needed.",
        "write the unit: `10s`, `250MB`, `50/s`.",
        Example::Script(include_str!("../tests/bad/missing_unit.sls")),
    }
    UnitMismatch = "sls::unit_mismatch" {
        "A quantity of the wrong dimension: a size where a rate is needed, flops where a speed is needed...",
        "write a quantity of the dimension the message names, with one of its units.",
        Example::Script(include_str!("../tests/bad/size_for_rate.sls")),
    }
    BitsForBytes = "sls::bits_for_bytes" {
        "A size given in bits: sizes are bytes.",
        "write the size in bytes (`MB`); bits are for rates (`Mbps`).",
        Example::Script(include_str!("../tests/bad/bits_for_bytes.sls")),
    }
    TypeMismatch = "sls::type_mismatch" {
        "A value of the wrong kind: a string where a number is needed, a number where a name is...",
        "write a value of the kind the message names.",
        Example::Script(include_str!("../tests/bad/string_for_number.sls")),
    }
    NotAnInteger = "sls::not_an_integer" {
        "A count that is not a whole number (`cores 2.5`).",
        "write a whole number.",
        Example::Script(include_str!("../tests/bad/fractional_cores.sls")),
    }
    OutOfRange = "sls::out_of_range" {
        "A value outside what its property allows (a negative size, zero cores, a probability above 100%).",
        "write a value within the bounds the message states.",
        Example::Script(include_str!("../tests/bad/negative_size.sls")),
    }
    WrongArguments = "sls::wrong_arguments" {
        "A call with the wrong number of arguments (`uniform(1s)`).",
        "pass the arguments the help lists.",
        Example::Script(include_str!("../tests/bad/wrong_arguments.sls")),
    }
    PolicyUnknownName = "sls::policy::unknown_name" {
        "A policy's expression names something that is no observable, function or parameter.",
        "use one of the observables and functions of docs/policies.md (the help suggests the nearest), or declare a parameter.",
        Example::Script(include_str!("../tests/bad/policy_unknown_observable.sls")),
    }
    PolicyUnits = "sls::policy::units" {
        "A policy's expression mixes units (`free_ram(node) - 2`), rounds a quantity, or uses a condition or series where a value is needed.",
        "give numbers their unit (`2GB`), divide by a unit before rounding, and read a series through a statistic.",
        Example::Script(include_str!("../tests/bad/policy_units.sls")),
    }
    PolicyRule = "sls::policy::rule" {
        "A policy's block has an unknown, repeated or missing rule, or a rule written in the wrong shape.",
        "a keep-alive policy has `idle EXPR` and maybe `prewarm EXPR`; a placement has `score node = EXPR` and maybe `pick max|min`.",
        Example::Script(include_str!("../tests/bad/policy_unknown_rule.sls")),
    }
    PolicyResult = "sls::policy::result" {
        "A policy's rule gives a value of the wrong dimension (an `idle` that is no time, a score that is a condition).",
        "write an expression whose result is what the rule decides: a time for `idle` and `prewarm`, a number or quantity for `score`.",
        Example::Script(include_str!("../tests/bad/policy_idle_not_a_time.sls")),
    }
    PolicyKind = "sls::policy::kind" {
        "A service chooses a policy of the script under the wrong kind (a placement as its keep-alive).",
        "choose a keep-alive policy with `keep_alive NAME` and a placement with `scheduler NAME`.",
        Example::Script(include_str!("../tests/bad/policy_wrong_kind.sls")),
    }
    ParamCycle = "sls::param_cycle" {
        "Parameters defined in terms of each other, in a cycle.",
        "give one of them a value that does not depend on the others.",
        Example::Script(include_str!("../tests/bad/param_cycle.sls")),
    }
    ParamHidesWord = "sls::param_hides_word" {
        "A parameter has the name of a word the property accepts (`param ram = 6GB` and `eviction ram`): the name is the parameter there, whose value is not such a word.",
        "rename the parameter (and its uses), so that the name is the word again.",
        Example::Script(include_str!("../tests/bad/param_hides_word.sls")),
    }
    ConflictingProperties = "sls::conflicting_properties" {
        "Two properties that exclude each other (an image with `layers` and a `size` of its own).",
        "keep one: the help says which makes sense.",
        Example::Script(include_str!("../tests/bad/conflicting_image_size.sls")),
    }
    PrewarmServesNothing = "sls::prewarm_serves_nothing" {
        "A service prewarms containers no invocation could use: of a function whose RAM limit is `trace.memory` (each memory an invocation gives is a registration of its own), or of a trace template that only a replay runs (each trace function runs in containers of its own).",
        "give the function a RAM limit of its own, invoke it from a stream or a client, or drop the `prewarm`.",
        Example::Script(include_str!("../tests/bad/prewarm_serves_nothing.sls")),
    }
    PrewarmNeverKept = "sls::prewarm_never_kept" {
        "A service prewarms containers of a function whose keep-alive never keeps a container idle (`idle_timeout 0s`, the default, or `keep_alive none`): each would be shut down as soon as it is ready.",
        "give the service an idle timeout (`idle_timeout 10min`) or the function a keep-alive that keeps containers, or drop the `prewarm`.",
        Example::Script(include_str!("../tests/bad/prewarm_never_kept.sls")),
    }
    ConflictingClauses = "sls::conflicting_clauses" {
        "An invocation stream has two arrival patterns (`every` and `poisson`).",
        "keep one pattern per stream; write two `invoke` lines for two patterns.",
        Example::Script(include_str!("../tests/bad/conflicting_patterns.sls")),
    }
    MissingPattern = "sls::missing_pattern" {
        "An invocation stream has a count or a duration but no arrival pattern.",
        "add a pattern: `every 1s`, `poisson 10/s`, `at 5s`, `burst 10`...",
        Example::Script(include_str!("../tests/bad/missing_pattern.sls")),
    }
    OverLimit = "sls::over_limit" {
        "The script declares more work than a run accepts: sweep runs, hosts, invocations, bytes of results or invocations sent at one instant over a cap (a slip of a digit costs nothing: it is refused before anything is built).",
        "declare less, or raise the cap with the flag the help names (`--max-runs`, `--max-hosts`, `--max-invocations`, `--max-output`, `--max-in-flight`; from Python, `limits=` with the same names: `{\"max_runs\": 5000}`).",
        Example::Script(include_str!("../tests/bad/over_limit_invocations.sls")),
    }
    UnboundedStream = "sls::unbounded_stream" {
        "An invocation stream never ends.",
        "bound it with `count N` or `for DURATION`.",
        Example::Script(include_str!("../tests/bad/unbounded_stream.sls")),
    }
    ClauseInClient = "sls::clause_in_client" {
        "A client's `invoke` has a pattern clause; a client invokes one request at a time.",
        "drop the clause; write `invoke f count 3` for three requests one after another.",
        Example::Script(include_str!("../tests/bad/clause_in_client.sls")),
    }
    EmptyStages = "sls::empty_stages" {
        "A `stages` block holds no stage.",
        "add stages: `10/s for 1min`, `ramp(10/s -> 50/s) over 2min`.",
        Example::Script(include_str!("../tests/bad/empty_stages.sls")),
    }
    NoService = "sls::no_service" {
        "Something must run but no serverless service is declared.",
        "declare one: `serverless faas { head gateway:\"/\"; compute node[*] }`.",
        Example::Script(include_str!("../tests/bad/no_service.sls")),
    }
    MissingService = "sls::missing_service" {
        "Several services are declared and a stream does not say which runs it.",
        "add `on SERVICE` to the `invoke` or `replay`.",
        Example::Script(include_str!("../tests/bad/missing_service.sls")),
    }
    MissingRoute = "sls::missing_route" {
        "Two hosts that must talk have no route between them.",
        "add a `route a <-> b via LINK` in `platform`.",
        Example::Script(include_str!("../tests/bad/missing_route.sls")),
    }
    RouteToItself = "sls::route_to_itself" {
        "A route joins a host to itself.",
        "route between two different hosts.",
        Example::Script(include_str!("../tests/bad/route_to_itself.sls")),
    }
    ComputeHostWithoutRam = "sls::compute_host_without_ram" {
        "A compute host has no RAM, so no container fits.",
        "give the host `ram`.",
        Example::Script(include_str!("../tests/bad/compute_without_ram.sls")),
    }
    ComputeHostWithoutDisk = "sls::compute_host_without_disk" {
        "A compute host has no disk for images and scratch space.",
        "give the host a disk: `disk \"/\" { size 1TB; read 100MBps; write 100MBps }`.",
        Example::Script(include_str!("../tests/bad/compute_without_disk.sls")),
    }
    HeterogeneousCompute = "sls::heterogeneous_compute" {
        "A service's compute hosts differ in speed or cores, which the service model does not support.",
        "give every compute host of a service the same speed and cores, or split them into services.",
        Example::Script(include_str!("../tests/bad/heterogeneous_compute.sls")),
    }
    FunctionCannotFit = "sls::function_cannot_fit" {
        "A function's limits (RAM, disk or cores) exceed what any compute host of its service has.",
        "lower the limit, or give the hosts more RAM, disk or cores.",
        Example::Script(include_str!("../tests/bad/function_ram_too_large.sls")),
    }
    EmptyWorkflow = "sls::empty_workflow" {
        "A workflow has no edge.",
        "write at least one chain: `a -> b`.",
        Example::Script(include_str!("../tests/bad/empty_workflow.sls")),
    }
    WorkflowCycle = "sls::workflow_cycle" {
        "A workflow's edges form a cycle.",
        "remove an edge of the cycle: a workflow runs each function once per instance.",
        Example::Script(include_str!("../tests/bad/workflow_cycle.sls")),
    }
    JoinNeverCompletes = "sls::join_never_completes" {
        "A join waits for a function that a choice (`either`) may skip, so it could wait for ever.",
        "join only branches that always run, or move the join after the choice's own join.",
        Example::Script(include_str!("../tests/bad/join_never_completes.sls")),
    }
    EitherPercentages = "sls::either_percentages" {
        "The percentages of an `either` do not add up to 100%, or some are missing.",
        "give every member a percentage, adding up to 100%.",
        Example::Script(include_str!("../tests/bad/either_percentages.sls")),
    }
    MisplacedEither = "sls::misplaced_either" {
        "`either` is used where a choice cannot stand (at the start of a chain).",
        "put the choice after an arrow: `a -> either [b 50%, c 50%]`.",
        Example::Script(include_str!("../tests/bad/misplaced_either.sls")),
    }
    MisplacedPercent = "sls::misplaced_percent" {
        "A percentage on an edge where it means nothing.",
        "put percentages on the members of an `either`, or on an optional edge after `->`.",
        Example::Script(include_str!("../tests/bad/misplaced_percent.sls")),
    }
    TemplateInvoked = "sls::template_invoked" {
        "A trace template (a function using `trace.` fields) is invoked directly.",
        "use it with `replay ... as TEMPLATE`; invoke a function with plain amounts.",
        Example::Script(include_str!("../tests/bad/template_invoked.sls")),
    }
    TemplateInWorkflow = "sls::template_in_workflow" {
        "A trace template is used in a workflow.",
        "use templates with `replay ... as` or `invoke ... with { ... }`; workflows take plain functions.",
        Example::Script(include_str!("../tests/bad/template_in_workflow.sls")),
    }
    EmpiricalMissingFile = "sls::empirical::missing_file" {
        "An `empirical` distribution names a CSV file that cannot be read.",
        "correct the path (relative to the script's folder).",
        Example::Script(include_str!("../tests/bad/empirical_missing_file.sls")),
    }
    EmpiricalUnknownColumn = "sls::empirical::unknown_column" {
        "An `empirical` distribution names a column the CSV header does not have.",
        "use a column named in the file's header.",
        Example::Script(include_str!("../tests/bad/empirical_unknown_column.sls")),
    }
    EmpiricalEmptyColumn = "sls::empirical::empty_column" {
        "An `empirical` column holds no value.",
        "point at a column with values.",
        Example::Script(include_str!("../tests/bad/empirical_empty_column.sls")),
    }
    EmpiricalNotANumber = "sls::empirical::not_a_number" {
        "An `empirical` column holds a cell that is not a number.",
        "fix the cell, or point at a numeric column.",
        Example::Script(include_str!("../tests/bad/empirical_not_a_number.sls")),
    }
    EmpiricalNegativeValue = "sls::empirical::negative_value" {
        "An `empirical` column holds a negative amount.",
        "amounts are zero or more: fix the cell.",
        Example::Script(include_str!("../tests/bad/empirical_negative_value.sls")),
    }
    TraceMissingFile = "sls::trace::missing_file" {
        "A replayed trace file (or an Azure 2019 day file) does not exist.",
        "correct the path (relative to the script's folder, or to the current folder with `-p`).",
        Example::Script(include_str!("../tests/bad/trace_missing.sls")),
    }
    TraceIo = "sls::trace::io" {
        "A trace file exists but reading it failed.",
        "check that the file is readable.",
        Example::Text("replay csv \"traces/unreadable.csv\"    // a file that exists but cannot be read"),
    }
    TraceBadHeader = "sls::trace::bad_header" {
        "A trace file does not start with the header its format needs.",
        "give the file the header the help shows (`time,function[,duration][,memory]` for `csv`).",
        Example::Text("// trace.csv:
when,name
0.5,resize"),
    }
    TraceMissingColumn = "sls::trace::missing_column" {
        "A trace row has fewer cells than its header, or an empty name.",
        "complete the row, or run with `--lenient` to skip bad rows.",
        Example::Text("// trace.csv:
time,function,duration
0.5,resize"),
    }
    TraceNotANumber = "sls::trace::not_a_number" {
        "A trace cell that must be a number is not.",
        "fix the cell, or run with `--lenient` to skip bad rows.",
        Example::Text("// trace.csv:
time,function
soon,resize"),
    }
    TraceNegativeValue = "sls::trace::negative_value" {
        "A trace cell that must be zero or more is negative.",
        "fix the cell, or run with `--lenient` to skip bad rows.",
        Example::Text("// trace.csv:
time,function,duration
0.5,resize,-1"),
    }
    TraceTooLarge = "sls::trace::too_large" {
        "A trace cell holds a number larger than any amount may be: 1e18 (seconds, bytes), the bound of a script's amounts.",
        "fix the cell, or run with `--lenient` to skip bad rows.",
        Example::Text("// trace.csv:
time,function,duration
0.5,resize,1e308"),
    }
    TraceTooManyArrivals = "sls::trace::too_many_arrivals" {
        "A trace counts more than 16,777,216 invocations at once: a row of a table of counts per period (`function header`) over all its columns, or one function's minute of an Azure 2019 day. A reader places and sorts such arrivals together, and so many (a count typed with a few digits too many, as often as not) would take gigabytes before the run could go on.",
        "fix the counts, or split a row's period into shorter ones (a per-second table rather than a per-minute one); run with `--lenient` to skip such rows.",
        Example::Text("// requests_minute.csv (`function header`, `period 1min`):
day,time,resize
0,0,2147483648"),
    }
    TraceCompressed = "sls::trace::compressed" {
        "A trace file is compressed (gzip, xz, zstd, bzip2 or zip): traces are read as plain text.",
        "decompress it first, in its folder (`gzip -dc trace.csv.gz > trace.csv`), and replay the file it gives.",
        Example::Script(include_str!("../tests/bad/trace_compressed.sls")),
    }
    TraceOutOfOrder = "sls::trace::out_of_order" {
        "A plain CSV trace row is earlier than the row before it.",
        "sort the file by time.",
        Example::Text("// trace.csv:
time,function
2.0,resize
1.0,resize"),
    }
    TraceChanged = "sls::trace::changed" {
        "A trace file changed while it was being replayed.",
        "do not write to a trace file during a run; copy it first.",
        Example::Text("// trace.csv is rewritten by another program while `sls run` replays it"),
    }
    TraceUnknownApp = "sls::trace::unknown_app" {
        "An Azure 2019 replay names applications the trace does not have.",
        "name applications by their `HashApp` value as written in the trace.",
        Example::Text("replay azure2019 \"traces/azure\" as template { apps [\"no_such_app\"] }"),
    }
    TraceNoPercentiles = "sls::trace::no_percentiles" {
        "Replayed Azure 2019 functions have no row in the percentile file their template draws from: no durations for a template using `trace.duration`, no memory for their application for one using `trace.memory`.",
        "run with `--lenient` to replay without them (a warning counts them and their invocations), or choose applications the files have rows for.",
        Example::Text("// function_durations_percentiles.anon.d01.csv has no row for a00000/f0:
function from_trace { image runtime; limits { ram trace.memory }; body { sleep trace.duration } }
workload { replay azure2019 \"traces/azure\" as from_trace }"),
    }
    TraceEpochDates = "sls::trace::epoch_dates" {
        "A replay's first invocation comes more than a year after its start: its dates are Unix time (seconds since 1970), which the format reads as seconds since the replay's start, so the run would idle for decades and lose precision on every date.",
        "make the dates count from the trace's start (subtract the first row's date from every row's), or replay the file through a format that reads the column as Unix time, `time column(\"time\", timestamp(\"%s\"))`, whose dates count from the first row.",
        Example::Text("// trace.csv, dates in Unix time:
time,function
1700000000.0,resize
1700000000.5,resize"),
    }
    TraceBadOption = "sls::trace::bad_option" {
        "Replay options the reader cannot honour.",
        "change the option as the help says.",
        Example::Text("replay azure2019 \"traces/azure\" as template { minutes 1..1440; rate 1000000/s }"),
    }
    TraceBadRows = "sls::trace::bad_rows" {
        "A trace has several bad rows; the first few are shown.",
        "fix the rows shown, or run with `--lenient` to skip bad rows.",
        Example::Text("// trace.csv with several bad rows, replayed without --lenient"),
    }
    RunUnknownTraceFunction = "sls::run::unknown_trace_function" {
        "A trace invokes a function the script does not declare, and the replay has no template.",
        "declare the function, or give the replay a template with `as`.",
        Example::Text("replay csv \"trace.csv\"    // trace.csv invokes `thumbnail`, which no function declares"),
    }
    RunHeadFull = "sls::run::head_full" {
        "A service's head storage is too small to download an image layer.",
        "give the head host's disk more space.",
        Example::Text("serverless faas { head gateway:\"/\"; compute node[*] }   // gateway's disk: 100MB
image big { size 1GB }"),
    }
    RunPolicy = "sls::run::policy" {
        "A policy written in the script could not decide while the script ran: it divided by zero, gave no number (NaN) or a negative time.",
        "guard the expression (`if(above(count(s), 0), ..., fallback)`, `max(x, 1)` in a divisor); the message says when and for which function or node.",
        Example::Text("keep_alive broken { idle 1min / (arrivals(function, 1min) - arrivals(function, 1min)) }"),
    }
    RunTooManyInFlight = "sls::run::too_many_in_flight" {
        "More invocations were in flight at once (waiting for a node, starting or running) than a run holds, 10,000,000 unless `--max-in-flight` (Python: `limits={\"max_in_flight\": N}`) says otherwise: the arrivals outpace the platform, and the backlog would grow until the machine's memory ran out (each takes some 300 bytes).",
        "give the service more nodes, slots or RAM, or send fewer arrivals (a lower rate, a shorter window); to study the backlog itself, raise the bound with `--max-in-flight N`.",
        Example::Text("invoke work on faas every 1us count 50000000   // onto one node: the queue only grows"),
    }
    RunCannotWrite = "sls::run::cannot_write" {
        "The run's results could not be written.",
        "check that the `--out` folder can be written.",
        Example::Text("sls run script.sls --out /read-only/folder"),
    }
}

impl Code {
    /// The code written `name`, with or without its `sls::` prefix, or by
    /// its last part alone when no other code ends so (`too_large` for
    /// `sls::trace::too_large`).
    pub fn find(name: &str) -> Option<Code> {
        let name = name.trim();
        let name = name.strip_prefix("sls::").unwrap_or(name);
        let exact = Code::ALL.iter().copied().find(|c| &c.as_str()["sls::".len()..] == name);
        exact.or_else(|| match Code::ending_with(name)[..] {
            [only] => Some(only),
            _ => None,
        })
    }

    /// The codes whose last part is `name` (`missing_file`: the script's
    /// and the trace's).
    pub fn ending_with(name: &str) -> Vec<Code> {
        let name = name.trim();
        Code::ALL
            .iter()
            .copied()
            .filter(|c| c.as_str().rsplit("::").next() == Some(name))
            .collect()
    }

    /// What `sls explain` prints.
    pub fn explain(self) -> String {
        let (label, example) = match self.example() {
            Example::Script(script) => ("A script that makes it", script),
            Example::Text(text) => ("For example", text),
        };
        format!(
            "{}\n\n{}\n\n{label}:\n\n{}\n\nTo fix it: {}\n",
            self.as_str(),
            self.summary(),
            indent(example.trim_end()),
            self.fix()
        )
    }
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("    {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}
