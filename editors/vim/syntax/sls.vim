" Syntax highlighting for sls serverless simulation scripts.
if exists("b:current_syntax")
  finish
endif

syn keyword slsDeclaration include param platform host link route network storage serverless layer image function workload workflow sweep disk limits body sandbox bus data client
syn keyword slsKeyword via on head compute scheduler prewarm sleep read write output fail from to invoke replay as at every poisson rate closed users think count for burst ramp over stages either in x repeat wait
syn match slsNumber "-\?\<\d\+\(\.\d\+\)\?\([eE][+-]\?\d\+\)\?\([A-Za-z]\+\)\?\(/[A-Za-z]\+\)\?%\?"
syn match slsOperator "<->\|->\|\.\.\|="
syn region slsString start=+"+ skip=+\\.+ end=+"+
syn match slsComment "//.*$"
syn region slsComment start="/\*" end="\*/"

hi def link slsDeclaration Structure
hi def link slsKeyword Keyword
hi def link slsNumber Number
hi def link slsOperator Operator
hi def link slsString String
hi def link slsComment Comment

let b:current_syntax = "sls"
