//! `sls lsp`: the language server, over standard input and output
//! (lsp-server). Diagnostics as the user types (a moment after the last
//! change), hover, completion, go to definition, references, rename,
//! document symbols, semantic tokens and formatting, all read off the
//! lossless tree and the language's table. The framing of messages is
//! ours (`transport`), bounded; lsp-server's connection carries them.

// `lsp_types::Uri` keeps parsed parts of itself in cells; it is hashed and
// ordered by its text, which never changes, so it is a sound map key.
#![allow(clippy::mutable_key_type)]

mod complete;
mod diagnose;
mod document;
mod hover;
mod index;
mod navigate;
mod outline;
mod transport;

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

use lsp_server::{ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument, Notification as _,
    PublishDiagnostics,
};
use lsp_types::request::{
    Completion, DocumentSymbolRequest, Formatting, GotoDefinition, HoverRequest, References, Rename, Request as _,
    SemanticTokensFullRequest,
};
use lsp_types::{
    CompletionOptions, CompletionResponse, DocumentSymbolResponse, GotoDefinitionResponse, Hover, HoverContents,
    HoverProviderCapability, MarkupContent, MarkupKind, OneOf, PublishDiagnosticsParams, SemanticTokens,
    SemanticTokensFullOptions, SemanticTokensOptions, SemanticTokensResult, SemanticTokensServerCapabilities,
    ServerCapabilities, TextDocumentSyncCapability, TextDocumentSyncKind, TextEdit, Uri,
};

use document::{Document, path_of};
use index::Index;

/// How long the server waits after a change before checking again.
const SETTLE: Duration = Duration::from_millis(200);

/// Serves one client until it shuts down.
pub fn serve() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let (connection, threads) = transport::stdio();
    connection.initialize(serde_json::to_value(capabilities())?)?;
    let mut server = Server::default();
    loop {
        let wait = server.due.values().min().map_or(Duration::from_secs(3600), |at| {
            at.saturating_duration_since(Instant::now())
        });
        match connection.receiver.recv_timeout(wait) {
            Ok(Message::Request(request)) => {
                if connection.handle_shutdown(&request)? {
                    break;
                }
                connection.sender.send(Message::Response(server.request(request)))?;
            }
            Ok(Message::Notification(notification)) => {
                if notification.method == "exit" {
                    break;
                }
                server.notification(notification);
            }
            Ok(Message::Response(_)) => {}
            Err(crossbeam_channel::RecvTimeoutError::Timeout) => {}
            Err(crossbeam_channel::RecvTimeoutError::Disconnected) => break,
        }
        for message in server.publish_due() {
            connection.sender.send(message)?;
        }
    }
    drop(connection);
    threads.join()?;
    Ok(())
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![" ".to_string(), "[".to_string()]),
            ..CompletionOptions::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: outline::legend(),
                full: Some(SemanticTokensFullOptions::Bool(true)),
                range: None,
                ..SemanticTokensOptions::default()
            },
        )),
        ..ServerCapabilities::default()
    }
}

#[derive(Default)]
struct Server {
    documents: HashMap<Uri, Document>,
    /// Documents to check again, and when.
    due: HashMap<Uri, Instant>,
    /// The files each document's last diagnostics went to.
    published: HashMap<Uri, Vec<Uri>>,
}

impl Server {
    fn notification(&mut self, notification: Notification) {
        let method = notification.method.as_str();
        match method {
            DidOpenTextDocument::METHOD => {
                if let Ok(params) = serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(notification.params)
                {
                    let uri = params.text_document.uri;
                    self.documents.insert(
                        uri.clone(),
                        Document::new(uri.clone(), params.text_document.version, params.text_document.text),
                    );
                    self.due.insert(uri, Instant::now());
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(params) =
                    serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(notification.params)
                    && let Some(change) = params.content_changes.into_iter().last()
                {
                    let uri = params.text_document.uri;
                    let version = params.text_document.version;
                    self.documents
                        .insert(uri.clone(), Document::new(uri.clone(), version, change.text));
                    self.due.insert(uri, Instant::now() + SETTLE);
                }
            }
            DidSaveTextDocument::METHOD => {
                if let Ok(params) = serde_json::from_value::<lsp_types::DidSaveTextDocumentParams>(notification.params)
                {
                    self.due.insert(params.text_document.uri, Instant::now());
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(params) = serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(notification.params)
                {
                    self.documents.remove(&params.text_document.uri);
                    self.due.remove(&params.text_document.uri);
                }
            }
            _ => {}
        }
    }

    /// Diagnostics of the documents whose time has come.
    fn publish_due(&mut self) -> Vec<Message> {
        let now = Instant::now();
        let due: Vec<Uri> = self
            .due
            .iter()
            .filter(|(_, at)| **at <= now)
            .map(|(u, _)| u.clone())
            .collect();
        let mut messages = Vec::new();
        for uri in due {
            self.due.remove(&uri);
            let Some(document) = self.documents.get(&uri) else {
                continue;
            };
            let found = diagnose::diagnose(document);
            let version = document.version;
            let stale: Vec<Uri> = self
                .published
                .get(&uri)
                .into_iter()
                .flatten()
                .filter(|u| !found.contains_key(*u))
                .cloned()
                .collect();
            self.published.insert(uri.clone(), found.keys().cloned().collect());
            let cleared = stale.into_iter().map(|u| (u, Vec::new()));
            for (target, diagnostics) in found.into_iter().chain(cleared) {
                let version = (target == uri).then_some(version);
                let params = PublishDiagnosticsParams::new(target, diagnostics, version);
                messages.push(Message::Notification(Notification::new(
                    PublishDiagnostics::METHOD.to_string(),
                    params,
                )));
            }
        }
        messages
    }

    /// The index of a document: it and what it includes (open documents as
    /// the editor has them, others from disk).
    fn index(&self, document: &Document) -> Index {
        let read = |path: &Path| {
            let open = self
                .documents
                .values()
                .find(|d| path_of(&d.uri).is_some_and(|p| p.canonicalize().ok() == path.canonicalize().ok()));
            match open {
                Some(d) => Some(d.text.clone()),
                None => crate::check::files::read_script(path).ok(),
            }
        };
        Index::new(path_of(&document.uri), document.text.clone(), &read)
    }

    fn request(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        match self.answer(request) {
            Ok(value) => Response::new_ok(id, value),
            Err(message) => Response::new_err(id, ErrorCode::InvalidParams as i32, message),
        }
    }

    fn document(&self, uri: &Uri) -> Result<&Document, String> {
        self.documents
            .get(uri)
            .ok_or_else(|| format!("`{}` is not open", uri.as_str()))
    }

    fn answer(&mut self, request: Request) -> Result<serde_json::Value, String> {
        let Request { method, params, .. } = request;
        let json = |value: serde_json::Result<serde_json::Value>| value.map_err(|e| e.to_string());
        match method.as_str() {
            HoverRequest::METHOD => {
                let params: lsp_types::HoverParams = parse(params)?;
                let position = params.text_document_position_params;
                let document = self.document(&position.text_document.uri)?;
                let index = self.index(document);
                let offset = document.offset(position.position);
                let hover = hover::hover(&index, offset).map(|(text, range)| Hover {
                    contents: HoverContents::Markup(MarkupContent {
                        kind: MarkupKind::Markdown,
                        value: text,
                    }),
                    range: Some(document.range(range.start().into(), range.end().into())),
                });
                json(serde_json::to_value(hover))
            }
            Completion::METHOD => {
                let params: lsp_types::CompletionParams = parse(params)?;
                let position = params.text_document_position;
                let document = self.document(&position.text_document.uri)?;
                let index = self.index(document);
                let offset = document.offset(position.position);
                let items = complete::complete(&index, offset, &|start, end| document.range(start, end));
                json(serde_json::to_value(CompletionResponse::Array(items)))
            }
            GotoDefinition::METHOD => {
                let params: lsp_types::GotoDefinitionParams = parse(params)?;
                let position = params.text_document_position_params;
                let document = self.document(&position.text_document.uri)?;
                let index = self.index(document);
                let found = navigate::definition(&index, document, document.offset(position.position));
                json(serde_json::to_value(found.map(GotoDefinitionResponse::Scalar)))
            }
            References::METHOD => {
                let params: lsp_types::ReferenceParams = parse(params)?;
                let position = params.text_document_position;
                let document = self.document(&position.text_document.uri)?;
                let index = self.index(document);
                let offset = document.offset(position.position);
                let found = navigate::references(&index, document, offset, params.context.include_declaration);
                json(serde_json::to_value(found))
            }
            Rename::METHOD => {
                let params: lsp_types::RenameParams = parse(params)?;
                let position = params.text_document_position;
                let document = self.document(&position.text_document.uri)?;
                let index = self.index(document);
                let offset = document.offset(position.position);
                let edit = navigate::rename(&index, document, offset, &params.new_name)?;
                json(serde_json::to_value(edit))
            }
            DocumentSymbolRequest::METHOD => {
                let params: lsp_types::DocumentSymbolParams = parse(params)?;
                let document = self.document(&params.text_document.uri)?;
                let index = self.index(document);
                let symbols = outline::symbols(document, &index.files[0].root);
                json(serde_json::to_value(DocumentSymbolResponse::Nested(symbols)))
            }
            SemanticTokensFullRequest::METHOD => {
                let params: lsp_types::SemanticTokensParams = parse(params)?;
                let document = self.document(&params.text_document.uri)?;
                let index = self.index(document);
                let data = outline::semantic_tokens(document, &index);
                json(serde_json::to_value(SemanticTokensResult::Tokens(SemanticTokens {
                    result_id: None,
                    data,
                })))
            }
            Formatting::METHOD => {
                let params: lsp_types::DocumentFormattingParams = parse(params)?;
                let document = self.document(&params.text_document.uri)?;
                let edits = match crate::format::format(&document.text) {
                    Ok(formatted) if formatted != document.text => {
                        vec![TextEdit::new(document.range(0, document.text.len()), formatted)]
                    }
                    // Unchanged, or its structure unknown (the diagnostics say why).
                    _ => Vec::new(),
                };
                json(serde_json::to_value(edits))
            }
            other => Err(format!("`{other}` is not supported")),
        }
    }
}

fn parse<T: serde::de::DeserializeOwned>(params: serde_json::Value) -> Result<T, String> {
    serde_json::from_value(params).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::syntax::token::tokenize;

    fn scripts(folder: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(folder).expect("a folder") {
            let path = entry.expect("an entry").path();
            // `tests/bad/generated/` holds what the integration tests write
            // (a script of more than a megabyte, too large to commit):
            // present or not depending on what ran before, and a request at
            // each of its thousands of tokens would take minutes.
            if path.is_dir() && !path.ends_with("tests/bad/generated") {
                scripts(&path, out);
            } else if path.extension().is_some_and(|e| e == "sls") {
                out.push(path);
            }
        }
    }

    /// Every request at every token boundary of every example, bad input
    /// and warned input answers (broken scripts included) without a panic.
    #[test]
    fn every_request_answers_everywhere() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        scripts(&root.join("examples"), &mut files);
        scripts(&root.join("tests/bad"), &mut files);
        scripts(&root.join("tests/warn"), &mut files);
        assert!(files.len() > 150);
        for path in files {
            let text = std::fs::read_to_string(&path).expect("a script");
            let Some(uri) = document::uri_of(&path) else {
                panic!("no URI for {}", path.display());
            };
            let document = Document::new(uri, 1, text.clone());
            let index = Index::new(Some(path.clone()), text.clone(), &|p| {
                crate::check::files::read_script(p).ok()
            });
            let _ = diagnose::diagnose(&document);
            let _ = outline::symbols(&document, &index.files[0].root);
            let _ = outline::semantic_tokens(&document, &index);
            let _ = crate::format::format(&text);
            for (_, range) in tokenize(&text) {
                for offset in [range.start, range.end] {
                    let _ = hover::hover(&index, offset);
                    let _ = complete::complete(&index, offset, &|s, e| document.range(s, e));
                    let _ = navigate::definition(&index, &document, offset);
                    let _ = navigate::references(&index, &document, offset, true);
                    let _ = navigate::rename(&index, &document, offset, "renamed");
                }
            }
        }
    }
}
