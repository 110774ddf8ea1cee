" Recognise .sls experiment scripts.
autocmd BufRead,BufNewFile *.sls setfiletype sls
