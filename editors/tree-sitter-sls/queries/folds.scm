; Blocks and lists written over several lines fold.
(block) @fold
(list) @fold
