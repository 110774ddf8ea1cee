-- Neovim (0.10+) support for .sls scripts: the filetype, the language
-- server (`sls lsp`: diagnostics, hover, completion, navigation, rename,
-- symbols, semantic tokens, formatting) and the tree-sitter grammar of
-- editors/tree-sitter-sls with its queries. See editors/README.md.
--
--   require('sls').setup({ cmd = { 'sls', 'lsp' }, grammar = '/path/to/sls/editors/tree-sitter-sls' })
local M = {}

function M.setup(opts)
  opts = opts or {}
  vim.filetype.add({ extension = { sls = 'sls' } })

  -- The language server, started for every .sls buffer.
  vim.api.nvim_create_autocmd('FileType', {
    pattern = 'sls',
    callback = function(args)
      vim.lsp.start({
        name = 'sls',
        cmd = opts.cmd or { 'sls', 'lsp' },
        root_dir = vim.fs.root(args.buf, { '.git' }) or vim.fn.getcwd(),
      })
    end,
  })

  -- The tree-sitter grammar, through nvim-treesitter when it is installed.
  if opts.grammar then
    local ok, parsers = pcall(require, 'nvim-treesitter.parsers')
    if ok then
      local configs = parsers.get_parser_configs and parsers.get_parser_configs() or parsers
      configs.sls = {
        install_info = { url = opts.grammar, files = { 'src/parser.c' }, branch = 'main' },
        filetype = 'sls',
      }
    end
    -- The queries (highlights, folds, indents) are read from the runtime path.
    vim.opt.runtimepath:append(opts.grammar)
  end
end

return M
