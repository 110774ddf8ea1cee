; nvim-treesitter indents: a block's statements are indented, its `}` is not.
(block) @indent.begin
(block "}" @indent.end)
(list) @indent.begin
(list "]" @indent.end)
(all) @indent.begin
(either) @indent.begin
["}" "]" ")"] @indent.branch
(comment) @indent.auto
