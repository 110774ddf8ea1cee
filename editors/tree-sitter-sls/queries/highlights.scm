; Generated from src/language/grammar.rs by tests/editors.rs.
(comment) @comment
(string) @string
(quantity) @number
[
  "as"
  "at"
  "autoscaler"
  "body"
  "burst"
  "bus"
  "client"
  "closed"
  "compute"
  "cost"
  "count"
  "data"
  "disk"
  "either"
  "every"
  "eviction"
  "extends"
  "fail"
  "for"
  "format"
  "from"
  "function"
  "head"
  "host"
  "image"
  "in"
  "include"
  "invoke"
  "keep_alive"
  "layer"
  "limits"
  "link"
  "network"
  "on"
  "output"
  "over"
  "param"
  "placement"
  "platform"
  "poisson"
  "prewarm"
  "ramp"
  "rate"
  "read"
  "repeat"
  "replay"
  "route"
  "sandbox"
  "scheduler"
  "serverless"
  "sleep"
  "stages"
  "storage"
  "sweep"
  "think"
  "to"
  "users"
  "via"
  "with"
  "workflow"
  "workload"
  "write"
  "x"
] @keyword
(wait) @keyword
(name) @type.definition
(reference) @variable
(property_name) @property
(constant) @constant.builtin
(identifier) @variable
(call function: (identifier) @function.call)
["{" "}" "[" "]" "(" ")"] @punctuation.bracket
["," ";" ":" "."] @punctuation.delimiter
["=" "->" "<->" ".." "*"] @operator
