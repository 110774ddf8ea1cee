; Helix indents: inside a block, list or group, one level more; the closing
; bracket goes back.
[
  (block)
  (list)
  (all)
  (either)
  (call)
] @indent
["}" "]" ")"] @outdent
