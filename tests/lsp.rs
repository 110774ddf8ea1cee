//! `sls lsp` spoken to as an editor does: the binary is spawned and
//! JSON-RPC goes over its standard input and output (initialize, didOpen,
//! didChange, hover, completion, definition, references, rename, symbols,
//! semantic tokens, formatting, shutdown).

use crate::support;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use serde_json::{Value, json};

struct Client {
    child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
    next_id: i64,
    /// Notifications received while waiting for a response.
    notifications: Vec<Value>,
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sls"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("sls lsp starts");
        let input = child.stdin.take().expect("stdin");
        let output = BufReader::new(child.stdout.take().expect("stdout"));
        let mut client = Client {
            child,
            input,
            output,
            next_id: 1,
            notifications: Vec::new(),
        };
        let capabilities = client.request(
            "initialize",
            json!({ "processId": null, "rootUri": null, "capabilities": {} }),
        );
        assert!(capabilities["capabilities"]["hoverProvider"].as_bool().unwrap_or(false));
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.input, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write to the server");
        self.input.flush().expect("flush");
    }

    fn receive(&mut self) -> Value {
        let mut length = 0;
        loop {
            let mut line = String::new();
            self.output.read_line(&mut line).expect("a header");
            assert!(!line.is_empty(), "the server closed its output");
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length: ") {
                length = n.parse().expect("a length");
            }
        }
        let mut body = vec![0; length];
        self.output.read_exact(&mut body).expect("a body");
        serde_json::from_slice(&body).expect("JSON")
    }

    /// Opens a document as an editor does, at version 1.
    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "sls", "version": 1, "text": text } }),
        );
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let message = self.answer(method, params);
        assert!(message.get("error").is_none(), "{method}: {message}");
        message["result"].clone()
    }

    /// The message of the error a request is answered with.
    fn refusal(&mut self, method: &str, params: Value) -> String {
        let message = self.answer(method, params);
        message["error"]["message"]
            .as_str()
            .unwrap_or_else(|| panic!("{method} is refused: {message}"))
            .to_string()
    }

    fn answer(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let message = self.receive();
            if message["id"] == json!(id) {
                return message;
            }
            self.notifications.push(message);
        }
    }

    /// The diagnostics published for `uri` (at `version` of the document,
    /// when given), waiting for them if need be.
    fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        let wanted = |n: &Value| {
            n["method"] == "textDocument/publishDiagnostics"
                && n["params"]["uri"] == uri
                && version.is_none_or(|v| n["params"]["version"] == json!(v))
        };
        if let Some(at) = self.notifications.iter().position(wanted) {
            let found = self.notifications.remove(at);
            return found["params"]["diagnostics"].as_array().cloned().unwrap_or_default();
        }
        loop {
            let message = self.receive();
            if wanted(&message) {
                return message["params"]["diagnostics"].as_array().cloned().unwrap_or_default();
            }
            self.notifications.push(message);
        }
    }

    fn shutdown(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let status = self.child.wait().expect("the server ends");
        assert!(status.success(), "sls lsp ended with {status}");
    }
}

fn uri(path: &std::path::Path) -> String {
    format!("file://{}", path.display())
}

/// `line` and `character` of the first occurrence of `needle` (plus `shift` characters).
fn position(text: &str, needle: &str, shift: usize) -> Value {
    let at = text.find(needle).unwrap_or_else(|| panic!("`{needle}` is in the text")) + shift;
    let line = text[..at].matches('\n').count();
    let character = at - text[..at].rfind('\n').map_or(0, |i| i + 1);
    json!({ "line": line, "character": character })
}

fn at(uri: &str, text: &str, needle: &str, shift: usize) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": position(text, needle, shift) })
}

fn labels(items: &Value) -> Vec<String> {
    items
        .as_array()
        .expect("a list of completions")
        .iter()
        .map(|i| i["label"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn a_session_as_an_editor_has_it() {
    let path = support::root().join("examples/basic.sls");
    let text = std::fs::read_to_string(&path).expect("example");
    let uri = uri(&path);
    let mut client = Client::start();
    client.open(&uri, &text);
    assert_eq!(
        client.diagnostics(&uri, Some(1)),
        Vec::<Value>::new(),
        "the example is clean"
    );

    // Hover: a property's meaning and unit, a quantity in SI, a keyword, a parameter.
    let hover = client.request("textDocument/hover", at(&uri, &text, "speed 1Gf/s", 1));
    let shown = hover["contents"]["value"].as_str().expect("markdown");
    assert!(
        shown.contains("the speed of one core") && shown.contains("Gf/s"),
        "{shown}"
    );
    let hover = client.request("textDocument/hover", at(&uri, &text, "1Gf/s", 1));
    let shown = hover["contents"]["value"].as_str().expect("markdown");
    assert!(shown.contains("1000000000 flops/s"), "{shown}");
    let hover = client.request("textDocument/hover", at(&uri, &text, "workload {", 2));
    assert!(
        hover["contents"]["value"]
            .as_str()
            .expect("markdown")
            .contains("how functions are invoked")
    );
    let hover = client.request("textDocument/hover", at(&uri, &text, "[1..nodes]", 5));
    let shown = hover["contents"]["value"].as_str().expect("markdown");
    assert!(
        shown.contains("parameter `nodes`") && shown.contains("param nodes = 4"),
        "{shown}"
    );

    // Definition and references of a function invoked in the workload.
    let invoke = text.find("invoke work").expect("an invoke") + "invoke ".len();
    let invoke_at = |text: &str| {
        let line = text[..invoke].matches('\n').count();
        let character = invoke - text[..invoke].rfind('\n').map_or(0, |i| i + 1);
        json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character + 1 } })
    };
    let definition = client.request("textDocument/definition", invoke_at(&text));
    assert_eq!(definition["uri"], json!(uri));
    assert_eq!(definition["range"]["start"], position(&text, "work {", 0));
    let mut references_params = invoke_at(&text);
    references_params["context"] = json!({ "includeDeclaration": true });
    let references = client.request("textDocument/references", references_params);
    assert_eq!(
        references.as_array().map(Vec::len),
        Some(1 + text.matches("invoke work").count())
    );

    // Rename the function everywhere.
    let mut rename = invoke_at(&text);
    rename["newName"] = json!("job");
    let edit = client.request("textDocument/rename", rename);
    let edits = edit["changes"][&uri].as_array().expect("edits of the document");
    assert_eq!(edits.len(), 1 + text.matches("invoke work").count());

    // Completion: statements and properties of a block, declared names, units.
    let edited = text.replace(
        "speed 1Gf/s; cores 10; ram 64GB",
        "speed 1Gf/s; cores 10; ram 64GB\n    ",
    );
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": edited }] }),
    );
    let completion = client.request("textDocument/completion", at(&uri, &edited, "ram 64GB\n    ", 13));
    let offered = labels(&completion);
    for expected in ["disk", "speed", "cores", "ram"] {
        assert!(offered.contains(&expected.to_string()), "{expected} in {offered:?}");
    }
    assert!(!offered.contains(&"bandwidth".to_string()), "{offered:?}");
    let edited = edited.replace("workload {\n", "workload {\n  invoke \n");
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 3 }, "contentChanges": [{ "text": edited }] }),
    );
    let completion = client.request("textDocument/completion", at(&uri, &edited, "invoke \n", 7));
    assert!(labels(&completion).contains(&"work".to_string()), "{completion}");
    let completion = client.request("textDocument/completion", at(&uri, &edited, "every 1s", 7));
    let units = labels(&completion);
    assert!(
        units.contains(&"min".to_string()) && !units.contains(&"MB".to_string()),
        "{units:?}"
    );
    let completion = client.request("textDocument/completion", at(&uri, &edited, "scheduler fcfs", 10));
    assert!(labels(&completion).contains(&"balanced".to_string()), "{completion}");

    // Diagnostics as the user types: the broken statement, then none again.
    assert_eq!(
        client.diagnostics(&uri, Some(3)).len(),
        1,
        "`invoke` without a function"
    );
    let broken = text.replace("cores 10;", "cores;");
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 4 }, "contentChanges": [{ "text": broken }] }),
    );
    let diagnostics = client.diagnostics(&uri, Some(4));
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0]["code"], "sls::parse::unexpected");
    assert_eq!(diagnostics[0]["range"]["start"], position(&broken, "; ram 64GB", 0));
    let unknown = text.replace("invoke work on", "invoke wrok on");
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 5 }, "contentChanges": [{ "text": unknown }] }),
    );
    let diagnostics = client.diagnostics(&uri, Some(5));
    assert_eq!(diagnostics[0]["code"], "sls::unknown_function", "{diagnostics:?}");
    assert!(
        diagnostics[0]["message"]
            .as_str()
            .expect("text")
            .contains("did you mean `work`?")
    );

    // Formatting, symbols and semantic tokens.
    let messy = text.replace("param nodes = 4", "param   nodes=4");
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 6 }, "contentChanges": [{ "text": messy }] }),
    );
    let edits = client.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    let formatted = edits[0]["newText"].as_str().expect("the formatted text");
    assert_eq!(formatted, sls::format::format(&messy).expect("formats"));
    assert!(formatted.contains("param nodes = 4"));
    let symbols = client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri } }));
    let names: Vec<&str> = symbols
        .as_array()
        .expect("symbols")
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    for expected in ["nodes", "platform", "repo", "faas", "runtime", "work", "workload"] {
        assert!(names.contains(&expected), "{expected} in {names:?}");
    }
    let tokens = client.request(
        "textDocument/semanticTokens/full",
        json!({ "textDocument": { "uri": uri } }),
    );
    let data = tokens["data"].as_array().expect("tokens");
    assert!(data.len() > 5 * 100, "{} numbers", data.len());
    client.shutdown();
}

/// A rename the script cannot take says why. It said "`NEW` cannot be
/// renamed here" whether the new name was not a name or the cursor was on
/// no name, and renamed a function to another function's name, leaving
/// the script declaring it twice. Renaming `param seed` changed the runs
/// (found by `renaming_a_declared_name_changes_no_meaning`).
#[test]
fn a_rename_that_cannot_be_done_says_why() {
    let path = support::root().join("examples/workflow.sls");
    let text = std::fs::read_to_string(&path).expect("example");
    let uri = uri(&path);
    let mut client = Client::start();
    client.open(&uri, &text);
    let rename = |needle: &str, shift: usize, new_name: &str| {
        let mut params = at(&uri, &text, needle, shift);
        params["newName"] = json!(new_name);
        params
    };
    let said = client.refusal("textDocument/rename", rename("function detect", 10, "classify"));
    assert_eq!(
        said,
        "`classify` already names a function (line 23): renamed, the script would declare it twice; pick another name"
    );
    let said = client.refusal("textDocument/rename", rename("workflow analyse", 10, "merge"));
    assert!(said.starts_with("`merge` already names a function (line 25)"), "{said}");
    let said = client.refusal("textDocument/rename", rename("from registry", 6, "objects"));
    assert!(
        said.starts_with("`objects` already names a storage (line 22 of `") && said.contains("common/cluster.sls`)"),
        "{said}"
    );
    let said = client.refusal("textDocument/rename", rename("function detect", 10, "9z"));
    assert!(said.starts_with("`9z` is not a name"), "{said}");
    let said = client.refusal("textDocument/rename", rename("workflow analyse", 2, "flow"));
    assert!(said.starts_with("no declared name here"), "{said}");
    // A name of another kind, or the name itself, is taken.
    let edit = client.request("textDocument/rename", rename("function detect", 10, "vision"));
    assert_eq!(edit["changes"][&uri].as_array().map(Vec::len), Some(2), "{edit}");
    let edit = client.request("textDocument/rename", rename("function detect", 10, "detect"));
    assert_eq!(edit["changes"][&uri].as_array().map(Vec::len), Some(2), "{edit}");

    // `param seed` is the run's seed: renaming it, or another parameter to
    // it, would change the runs without a word.
    let path = support::root().join("examples/basic.sls");
    let text = std::fs::read_to_string(&path).expect("example");
    let uri = self::uri(&path);
    client.open(&uri, &text);
    let rename = |needle: &str, new_name: &str| {
        let mut params = at(&uri, &text, needle, 6);
        params["newName"] = json!(new_name);
        params
    };
    for (needle, new_name) in [("param seed", "run_seed"), ("param nodes", "seed")] {
        let said = client.refusal("textDocument/rename", rename(needle, new_name));
        assert!(said.starts_with("`param seed` is the run's seed"), "{said}");
    }
    let edit = client.request("textDocument/rename", rename("param nodes", "hosts"));
    assert!(edit["changes"][&uri].as_array().is_some_and(|e| e.len() > 1), "{edit}");
    client.shutdown();
}

#[test]
fn diagnostics_of_an_included_file_go_to_that_file() {
    let scratch = support::Scratch::new("lsp-include");
    std::fs::write(
        scratch.join("common.sls"),
        "platform {\n  host gw { speed 1Gf/s; cores 1; disk \"/\" { size 1TB; read 1GBps; write 1GBps } }\n  host n { speed 1Gf/s; cores 2; ram 8GB; disk \"/\" { size 1TB; read 1GBps; write 1GBps } }\n  link l { bandwidth 1Gbps; latency 1ms }\n  route gw <-> n via l\n}\nimage img { size 10MB; ram 10MB; from nowhere }\n",
    )
    .expect("write");
    let main = scratch.join("main.sls");
    let text = "include \"common.sls\"\nserverless faas { head gw:\"/\"; compute n }\nfunction f { image img; body { sleep 1s } }\nworkload { invoke f every 1s count 3 }\n";
    std::fs::write(&main, text).expect("write");
    let mut client = Client::start();
    let main_uri = uri(&main);
    client.open(&main_uri, text);
    let included = client.diagnostics(&uri(&scratch.join("common.sls")), None);
    assert_eq!(included.len(), 1, "{included:?}");
    assert_eq!(included[0]["code"], "sls::unknown_storage");
    // Go to the declaration in the included file.
    let definition = client.request("textDocument/definition", at(&main_uri, text, "image img", 7));
    assert_eq!(definition["uri"], json!(uri(&scratch.join("common.sls"))));
    client.shutdown();
}

/// A warning is published as one, at the place `sls check` draws it.
#[test]
fn a_warning_is_published_with_the_warning_severity() {
    let path = support::root().join("tests/warn/shared_compute_hosts.sls");
    let text = std::fs::read_to_string(&path).expect("script");
    let uri = uri(&path);
    let mut client = Client::start();
    client.open(&uri, &text);
    let published = client.diagnostics(&uri, Some(1));
    assert_eq!(published.len(), 1, "{published:?}");
    let warning = &published[0];
    assert_eq!(warning["code"], "sls::shared_compute_hosts");
    // LSP's DiagnosticSeverity: 1 error, 2 warning.
    assert_eq!(warning["severity"], 2);
    assert_eq!(warning["range"]["start"], position(&text, "node[2] }", 0));
    assert_eq!(
        warning["relatedInformation"][0]["location"]["range"]["start"],
        position(&text, "node[*] }", 0)
    );
    client.shutdown();
}

#[test]
fn completion_offers_what_the_grammar_allows_at_the_cursor() {
    let scratch = support::Scratch::new("lsp-complete");
    let path = scratch.join("script.sls");
    let text = "function work {\n  limits {  }\n  body { sleep 1s }\n}\nserverless faas {\n  bus global {  }\n}\nworkload {\n  invoke work \n}\n";
    std::fs::write(&path, text).expect("write");
    let uri = uri(&path);
    let mut client = Client::start();
    client.open(&uri, text);
    // The properties of `limits`, and only those.
    let offered = labels(&client.request("textDocument/completion", at(&uri, text, "limits {  }", 9)));
    assert!(
        offered.contains(&"time".to_string()) && offered.contains(&"egress".to_string()),
        "{offered:?}"
    );
    assert!(!offered.contains(&"speed".to_string()), "{offered:?}");
    // A bus's properties depend on its kind.
    let offered = labels(&client.request("textDocument/completion", at(&uri, text, "global {  }", 9)));
    assert!(offered.contains(&"per_message".to_string()), "{offered:?}");
    assert!(!offered.contains(&"local_latency".to_string()), "{offered:?}");
    // The clauses of an invocation stream.
    let offered = labels(&client.request("textDocument/completion", at(&uri, text, "invoke work \n", 12)));
    for clause in ["every", "poisson", "count", "for", "on", "ramp"] {
        assert!(offered.contains(&clause.to_string()), "{clause} in {offered:?}");
    }
    client.shutdown();
}

/// A replay's format declared by mapping in an included file (as the shipped
/// Huawei formats are): go to its declaration, and completion offers it.
#[test]
fn a_declared_trace_format_is_a_name_to_go_to() {
    let scratch = support::Scratch::new("lsp-format");
    std::fs::write(
        scratch.join("formats.sls"),
        "format requests {\n  time column(\"t\", 1s)\n  function column(\"f\")\n}\n",
    )
    .expect("write");
    let main = scratch.join("main.sls");
    let text = "include \"formats.sls\"\nworkload {\n  replay requests \"r.csv\" as work\n  replay \n}\n";
    std::fs::write(&main, text).expect("write");
    let mut client = Client::start();
    let main_uri = uri(&main);
    client.open(&main_uri, text);
    let definition = client.request("textDocument/definition", at(&main_uri, text, "requests \"r", 2));
    assert_eq!(definition["uri"], json!(uri(&scratch.join("formats.sls"))));
    let completion = client.request("textDocument/completion", at(&main_uri, text, "replay \n", 7));
    let offered = labels(&completion);
    for word in ["requests", "csv", "azure2019"] {
        assert!(offered.iter().any(|l| l == word), "`{word}` not in {offered:?}");
    }
    client.shutdown();
}

#[test]
fn a_message_over_the_size_limit_is_skipped_and_the_next_answered() {
    // 64 MiB and one byte of text, sent whole as editors do on opening.
    let mut client = Client::start();
    let huge = "x".repeat((64 << 20) + 1);
    client.open("file:///huge.sls", &huge);
    drop(huge);
    let text = "image python { size 100MB }\n";
    let uri = "file:///small.sls";
    client.open(uri, text);
    let symbols = client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri } }));
    assert_eq!(symbols[0]["name"], "python", "{symbols}");
    client.shutdown();
}

#[test]
fn a_header_announcing_100_gb_ends_the_server_with_a_message_not_an_abort() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sls"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sls lsp starts");
    let mut input = child.stdin.take().expect("stdin");
    let initialize = json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": { "processId": null, "rootUri": null, "capabilities": {} } })
    .to_string();
    let initialized = json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }).to_string();
    write!(
        input,
        "Content-Length: {}\r\n\r\n{initialize}Content-Length: {}\r\n\r\n{initialized}Content-Length: 99999999999\r\n\r\n{{}}",
        initialize.len(),
        initialized.len()
    )
    .expect("written");
    drop(input);
    let output = child.wait_with_output().expect("the server ends");
    let err = String::from_utf8_lossy(&output.stderr);
    // It aborted (a signal, no code) allocating the 100 GB announced.
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(
        err.contains("language server: the input ended inside a message announced as 99999999999 bytes long"),
        "{err}"
    );
}

/// The byte offset of an LSP position (its character counted in UTF-16).
fn offset(text: &str, position: &Value) -> usize {
    let line = position["line"].as_u64().expect("a line") as usize;
    let character = position["character"].as_u64().expect("a character") as usize;
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut units = 0;
    for (at, c) in text[start..].char_indices() {
        if units >= character {
            return start + at;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// Every declared name of the outline, with where its name is written.
fn declared(symbols: &Value, out: &mut Vec<(String, Value)>) {
    for symbol in symbols.as_array().into_iter().flatten() {
        let name = symbol["name"].as_str().unwrap_or_default().to_string();
        out.push((name, symbol["selectionRange"]["start"].clone()));
        declared(&symbol["children"], out);
    }
}

/// Renaming any declared name of any example or accepted fuzz input, at
/// its declaration, changes no meaning (some 1,700 renames): the renamed
/// script is accepted and lowers to the program of the original with the
/// new name in place of the old (a use left behind would be an unknown
/// name; one of another kind renamed with it, a name gone from its own
/// declarations).
#[test]
fn renaming_a_declared_name_changes_no_meaning() {
    let mut client = Client::start();
    let fresh = "zz_renamed";
    let mut renamed = 0;
    // The examples, and the scripts fuzzing found for short runs (the
    // constructs in odd combinations).
    let mut scripts = support::example_scripts();
    let corpus = support::root().join("fuzz/corpus/short_run");
    scripts.extend(
        std::fs::read_dir(corpus)
            .expect("the corpus")
            .map(|e| e.expect("an entry").path()),
    );
    for path in scripts {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if text.contains(fresh) {
            continue;
        }
        let Ok(original) = support::lowered(&path, &text) else {
            continue;
        };
        let uri = uri(&path);
        client.open(&uri, &text);
        let symbols = client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri } }));
        let mut names = Vec::new();
        declared(&symbols, &mut names);
        for (name, start) in names {
            let params = json!({ "textDocument": { "uri": uri }, "position": start, "newName": fresh });
            let answer = client.answer("textDocument/rename", params);
            let Some(changes) = answer["result"]["changes"].as_object() else {
                // Not a name a rename takes (a block of the outline).
                continue;
            };
            if changes.keys().any(|k| k != &uri) {
                // Written in an included file too: not this test's to edit.
                continue;
            }
            let mut edits: Vec<(usize, usize, String)> = changes[&uri]
                .as_array()
                .expect("edits")
                .iter()
                .map(|e| {
                    let new_text = e["newText"].as_str().expect("new text").to_string();
                    (
                        offset(&text, &e["range"]["start"]),
                        offset(&text, &e["range"]["end"]),
                        new_text,
                    )
                })
                .collect();
            edits.sort_by_key(|e| std::cmp::Reverse(e.0));
            let mut edited = text.clone();
            for (start, end, new_text) in edits {
                assert_eq!(
                    &text[start..end],
                    name,
                    "{}: an edit of `{name}` spans `{}`",
                    path.display(),
                    &text[start..end]
                );
                edited.replace_range(start..end, &new_text);
            }
            let after = support::lowered(&path, &edited).unwrap_or_else(|e| {
                panic!(
                    "{}: `{name}` renamed, the script is refused:\n{}\n{edited}",
                    path.display(),
                    e.join("\n")
                )
            });
            assert_eq!(
                after.replace(fresh, &name),
                original,
                "{}: renaming `{name}` changed the program",
                path.display()
            );
            renamed += 1;
        }
    }
    assert!(renamed > 1000, "only {renamed} names renamed");
    client.shutdown();
}
