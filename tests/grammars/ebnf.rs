//! `grammar/sls.ebnf`: the grammar of record (`sls::language`) written out
//! for people, in W3C-style EBNF: one rule per block and per construct with
//! what it means, then the properties each block accepts with their values,
//! and the words each choice may be. Generated, never edited: the parser
//! reads the same table.

use std::fmt::Write;

use sls::language::choices::Choices;
use sls::language::grammar::{Construct, Context, Part, Role};
use sls::language::properties::{Owner, Value};
use sls::language::units::Dim;

use super::treesitter::snake;

fn construct_rule(construct: Construct) -> String {
    snake(&format!("{construct:?}"))
}

fn block_rule(context: Context) -> String {
    format!("{}_block", snake(&format!("{context:?}")))
}

fn dim_rule(dim: Dim) -> String {
    snake(&format!("{dim:?}"))
}

fn choices_rule(choices: Choices) -> String {
    format!("{}_choice", snake(&format!("{choices:?}")))
}

fn owner_rule(owner: Owner) -> String {
    format!("{}_properties", snake(&format!("{owner:?}")))
}

fn name(role: Role) -> String {
    match role.declares() {
        Some(space) => format!("new_{}", snake(&format!("{space:?}"))),
        None => match role.refers().first() {
            Some(space) => format!("{}_name", snake(&format!("{space:?}"))),
            None if role == Role::Property => "property_name".to_string(),
            // A word of the choice of the same name (`network lv08`).
            None => format!("{}_choice", snake(&format!("{role:?}"))),
        },
    }
}

fn seq(parts: &[Part]) -> String {
    parts.iter().map(|p| part(*p)).collect::<Vec<_>>().join(" ")
}

fn part(part: Part) -> String {
    match part {
        Part::Word(w) | Part::Punct(w) => format!("'{w}'"),
        Part::Name(role) => name(role),
        Part::Declared(role) => format!("{} range_index?", name(role)),
        Part::Element(role) => format!("{} index?", name(role)),
        Part::Disk => "host_name index? ':' string".to_string(),
        Part::Text => "string".to_string(),
        Part::Value => "value".to_string(),
        Part::Measure(dim) => dim_rule(dim),
        Part::Choice(choices) => choices_rule(choices),
        Part::Block(context) => block_rule(context),
        Part::Properties(owner) => owner_rule(owner),
        Part::Optional(p) => format!("( {} )?", seq(p)),
        Part::Repeated(p) => format!("( {} )*", seq(p)),
        Part::Repeated1(p) => format!("( {} )+", seq(p)),
        Part::Separated(p) => format!("{0} ( ',' {0} )*", seq(p)),
        Part::Either(alternatives) => {
            let alternatives: Vec<String> = alternatives.iter().map(|a| seq(a)).collect();
            format!("( {} )", alternatives.join(" | "))
        }
        Part::Child(c) => construct_rule(c),
        Part::Clauses(cs) => {
            let rules: Vec<String> = cs.iter().map(|c| construct_rule(*c)).collect();
            format!("( {} )*", rules.join(" | "))
        }
        Part::Group => "group".to_string(),
    }
}

fn value(value: Value) -> String {
    match value {
        Value::Measure(dim) => dim_rule(dim),
        Value::Count => "count".to_string(),
        Value::Choice(choices) => choices_rule(choices),
        Value::Name(space) => format!("{}_name", snake(&format!("{space:?}"))),
        Value::Names(space) => format!("'[' {0}_name ( ',' {0}_name )* ']'", snake(&format!("{space:?}"))),
        Value::Other(what) => format!("value /* {what} */"),
    }
}

/// `grammar/sls.ebnf`.
pub fn ebnf() -> String {
    let mut out = String::from(
        "/* The grammar of sls, generated from the grammar of record\n   \
         (src/language) by tests/editors.rs: run\n   \
         `SLS_UPDATE_EDITORS=1 cargo test --release --test integration editors::` after\n   \
         changing the language. Do not edit by hand.\n\n   \
         Statements end at a new line or `;`; new lines are free inside\n   \
         brackets and parentheses, after `,` and after `->`. Comments are\n   \
         `// ...` and `/* ... */`. */\n\n",
    );
    let _ = writeln!(
        out,
        "file ::= {}*\n",
        block_rule(Context::File).replace("_block", "_statement")
    );
    let _ = writeln!(out, "/* Blocks: the statements each may hold. */\n");
    for &context in Context::ALL {
        let statements: Vec<String> = context
            .statements()
            .chain(context.fallback())
            .map(construct_rule)
            .collect();
        let statement = format!("{}_statement", snake(&format!("{context:?}")));
        let _ = writeln!(out, "{statement} ::= {}", statements.join("\n    | "));
        if context != Context::File {
            let _ = writeln!(out, "{} ::= '{{' {statement}* '}}'", block_rule(context));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "/* Constructs. */\n");
    for &construct in Construct::ALL {
        let row = construct.row();
        let mut shape: Vec<String> = row.keyword.map(|k| format!("'{k}'")).into_iter().collect();
        shape.extend(row.shape.iter().map(|p| part(*p)));
        let _ = writeln!(
            out,
            "/* {} e.g. `{}` */\n{} ::= {}\n",
            row.doc,
            row.example,
            construct_rule(construct),
            shape.join(" ")
        );
    }
    let _ = writeln!(out, "/* Properties: `name value` lines of a block. */\n");
    for &owner in Owner::ALL {
        let rows: Vec<String> = owner
            .properties()
            .iter()
            .map(|p| {
                let only = if p.kinds.is_empty() {
                    String::new()
                } else {
                    format!(" (in {})", p.kinds.join(", "))
                };
                format!("'{}' {}  /* {}{only} */", p.name, value(p.value), p.doc)
            })
            .collect();
        let _ = writeln!(
            out,
            "/* The properties of {}. */\n{} ::= '{{' ( ( {} ) )* '}}'\n",
            owner.noun(),
            owner_rule(owner),
            rows.join("\n    | ")
        );
    }
    let _ = writeln!(out, "/* Choices: the words a value may be. */\n");
    for &choices in Choices::ALL {
        let words: Vec<String> = choices
            .choices()
            .iter()
            .map(|c| match c.call {
                Some(call) => format!("'{}' arguments?  /* {}: `{call}` */", c.word, c.doc),
                None => format!("'{}'  /* {} */", c.word, c.doc),
            })
            .collect();
        let _ = writeln!(
            out,
            "/* {}. */\n{} ::= {}\n",
            choices.what(),
            choices_rule(choices),
            words.join("\n    | ")
        );
    }
    let _ = writeln!(out, "/* Values and units. */\n");
    for &dim in Dim::ALL {
        let _ = writeln!(
            out,
            "/* {}, in {} */\n{} ::= value\n",
            dim.describe(),
            dim.units(),
            dim_rule(dim)
        );
    }
    out.push_str(VALUES);
    out
}

/// Values, shared by every version of the language.
const VALUES: &str = r#"group ::= flow | '[' flow ( ',' flow )* ']' | 'either' '[' flow ( ',' flow )* ']'
flow ::= function_name quantity?
range_index ::= '[' ( index_name 'in' )? value ']'
index ::= '[' ( '*' | ( index_name 'in' )? value ) ']'
index_name ::= identifier
value ::= expression ( '..' expression )?
/* `+ -` bind loosest, then `* /`, then `^` (to the right) and a leading `-` */
expression ::= sum
sum ::= product ( ( '+' | '-' ) product )*
product ::= power ( ( '*' | '/' ) power )*
power ::= '-' power | term ( '^' power )?
term ::= quantity | string | list | call | path | identifier index? | '(' value ')'
call ::= identifier '(' ( value ( ',' value )* )? ')'
arguments ::= '(' ( value ( ',' value )* )? ')'
list ::= '[' ( value ( ',' value )* ','? )? ']'
path ::= identifier ( '.' identifier )+
count ::= value
/* `10`, `2.5e3`, `250MB`, `10Gf/s`, `50/s`, `30%` */
quantity ::= [0-9]+ ( '.' [0-9]+ )? ( [eE] [+-]? [0-9]+ )? [A-Za-zµ]* ( '/' [A-Za-z]+ )? '%'?
string ::= '"' ( [^"\#xA] | '\' . )* '"'
identifier ::= [A-Za-z_] [A-Za-z0-9_]*
"#;
