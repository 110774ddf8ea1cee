//! The server's standard input and output as LSP messages: JSON bodies
//! framed by a `Content-Length` header. Ours rather than lsp-server's
//! `Connection::stdio`, whose reader allocates (and zeroes) whatever
//! length a header announces before reading a byte of it: a header of
//! 100 GB aborted the server, one of 10 GB took that much memory. Here a
//! header line is read within [`MAX_HEADER_LINE`] bytes, a body as it
//! arrives, and a body over [`MAX_BODY`] is read past (never held) and
//! said so on standard error, where editors show a server's log.

use std::io::{self, BufRead, Read, Write};
use std::thread::{self, JoinHandle};

use crossbeam_channel::{Receiver, Sender, bounded};
use lsp_server::{Connection, Message};

/// The largest message body kept: a script thousands of times larger than
/// any example, sent whole on every change (`TextDocumentSyncKind::FULL`).
pub const MAX_BODY: usize = 64 << 20;

/// The longest header line (`Content-Length: 123`, `Content-Type: ...`).
const MAX_HEADER_LINE: usize = 4096;

/// The reading and writing threads of [`stdio`].
pub struct Threads {
    reader: JoinHandle<io::Result<()>>,
    writer: JoinHandle<io::Result<()>>,
}

impl Threads {
    /// Waits for both threads: the reader's error first (a malformed
    /// stream), then the writer's (a closed output).
    pub fn join(self) -> io::Result<()> {
        let reader = self
            .reader
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the reader panicked")));
        let writer = self
            .writer
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the writer panicked")));
        reader.and(writer)
    }
}

/// A connection over standard input and output. The reader ends after
/// the `exit` notification or at the end of the input; the writer when
/// the connection's sender is dropped.
pub fn stdio() -> (Connection, Threads) {
    let (to_server, receiver) = bounded::<Message>(0);
    let (sender, from_server) = bounded::<Message>(0);
    let reader = thread::Builder::new()
        .name("sls-lsp-reader".into())
        .spawn(move || forward(&mut io::stdin().lock(), &to_server, &mut io::stderr()))
        .expect("a thread starts");
    let writer = thread::Builder::new()
        .name("sls-lsp-writer".into())
        .spawn(move || write_all(&from_server, &mut io::stdout().lock()))
        .expect("a thread starts");
    (Connection { sender, receiver }, Threads { reader, writer })
}

/// Reads messages from `input` into `to_server` until `exit` or the end
/// of the input; a body too large is noted on `log` and skipped.
fn forward(input: &mut impl BufRead, to_server: &Sender<Message>, log: &mut impl Write) -> io::Result<()> {
    loop {
        let message = match read(input)? {
            Frame::End => return Ok(()),
            Frame::Skipped(size) => {
                let _ = writeln!(
                    log,
                    "sls lsp: skipped a message of {size} bytes: a message holds at most {MAX_BODY} bytes"
                );
                continue;
            }
            Frame::Message(message) => message,
        };
        let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
        if to_server.send(message).is_err() || exit {
            return Ok(());
        }
    }
}

fn write_all(from_server: &Receiver<Message>, output: &mut impl Write) -> io::Result<()> {
    from_server.iter().try_for_each(|message| message.write(output))
}

/// What one framed message of the input was.
#[derive(Debug)]
enum Frame {
    Message(Message),
    /// A body of this many bytes, over [`MAX_BODY`], read past.
    Skipped(u64),
    /// The input ended between messages.
    End,
}

/// Reads one message: header lines up to an empty one, then the body of
/// `Content-Length` bytes.
fn read(input: &mut impl BufRead) -> io::Result<Frame> {
    let mut length = None;
    let mut line = Vec::new();
    let mut first = true;
    loop {
        line.clear();
        input
            .by_ref()
            .take(MAX_HEADER_LINE as u64 + 1)
            .read_until(b'\n', &mut line)?;
        if line.is_empty() {
            return if first {
                Ok(Frame::End)
            } else {
                Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the input ended inside a message's header",
                ))
            };
        }
        first = false;
        let Some(text) = line.strip_suffix(b"\r\n") else {
            return Err(invalid(if line.len() > MAX_HEADER_LINE {
                format!("a header line longer than {MAX_HEADER_LINE} bytes")
            } else {
                format!("a header line not ended by CRLF: {:?}", String::from_utf8_lossy(&line))
            }));
        };
        if text.is_empty() {
            break;
        }
        let text = std::str::from_utf8(text).map_err(|_| invalid("a header line that is not UTF-8".into()))?;
        let (name, value) = text
            .split_once(": ")
            .ok_or_else(|| invalid(format!("a header line without `: `: {text:?}")))?;
        if name.eq_ignore_ascii_case("Content-Length") {
            length = Some(
                value
                    .parse::<u64>()
                    .map_err(|_| invalid(format!("a Content-Length that is no length: {value:?}")))?,
            );
        }
    }
    let length = length.ok_or_else(|| invalid("a message without Content-Length".into()))?;
    if length > MAX_BODY as u64 {
        let skipped = io::copy(&mut input.by_ref().take(length), &mut io::sink())?;
        return if skipped < length {
            Err(cut(length))
        } else {
            Ok(Frame::Skipped(length))
        };
    }
    // Read as it arrives: the header's length bounds it, never sizes it.
    let mut body = Vec::new();
    input.by_ref().take(length).read_to_end(&mut body)?;
    if (body.len() as u64) < length {
        return Err(cut(length));
    }
    serde_json::from_slice(&body)
        .map(Frame::Message)
        .map_err(|e| invalid(format!("a message that is not JSON-RPC: {e}")))
}

/// The input ended before the body its header announced.
fn cut(length: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::UnexpectedEof,
        format!("the input ended inside a message announced as {length} bytes long"),
    )
}

fn invalid(what: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("the client sent {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn framed(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    fn read_all(input: &[u8]) -> (Vec<Message>, String, io::Result<()>) {
        let (to_server, received) = crossbeam_channel::unbounded();
        let mut log = Vec::new();
        let result = forward(&mut &input[..], &to_server, &mut log);
        (
            received.try_iter().collect(),
            String::from_utf8(log).expect("UTF-8"),
            result,
        )
    }

    const INITIALIZED: &str = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;

    #[test]
    fn messages_are_read_in_order_until_the_input_ends() {
        let request = r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;
        let input = format!(
            "{}Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n{}",
            framed(INITIALIZED),
            framed(request)
        );
        let (messages, log, result) = read_all(input.as_bytes());
        result.expect("a clean end");
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(matches!(&messages[0], Message::Notification(n) if n.method == "initialized"));
        assert!(matches!(&messages[1], Message::Request(r) if r.method == "shutdown"));
        assert!(log.is_empty());
    }

    #[test]
    fn reading_stops_at_exit() {
        let exit = r#"{"jsonrpc":"2.0","method":"exit"}"#;
        let input = format!("{}{}", framed(exit), framed(INITIALIZED));
        let (messages, _, result) = read_all(input.as_bytes());
        result.expect("a clean end");
        assert_eq!(messages.len(), 1);
    }

    #[test]
    fn a_header_announcing_100_gb_allocates_nothing_and_ends_at_the_input() {
        // The body never comes: the stream ends after two bytes of it.
        let input = format!("Content-Length: 99999999999\r\n\r\n{{}}{}", framed(INITIALIZED));
        let (messages, _, result) = read_all(input.as_bytes());
        assert!(messages.is_empty());
        assert_eq!(
            result.expect_err("the body is cut").kind(),
            io::ErrorKind::UnexpectedEof
        );
    }

    #[test]
    fn a_body_over_the_limit_is_skipped_and_said_then_reading_goes_on() {
        let huge = format!(
            r#"{{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{{"text":"{}"}}}}"#,
            "x".repeat(MAX_BODY)
        );
        let input = format!("{}{}", framed(&huge), framed(INITIALIZED));
        let (messages, log, result) = read_all(input.as_bytes());
        result.expect("a clean end");
        assert_eq!(messages.len(), 1, "the message after the huge one is read");
        assert!(
            log.contains(&format!("skipped a message of {} bytes", huge.len())),
            "{log}"
        );
    }

    #[test]
    fn malformed_frames_are_errors_that_say_what_came() {
        for (input, said) in [
            ("Content-Length: 10\n\n{}".to_string(), "not ended by CRLF"),
            (
                format!("X-{}: y\r\n\r\n", "a".repeat(MAX_HEADER_LINE)),
                "longer than 4096 bytes",
            ),
            ("Content-Length: lots\r\n\r\n".to_string(), "no length: \"lots\""),
            ("Content-Type: text\r\n\r\n".to_string(), "without Content-Length"),
            (framed("{\"id\":"), "not JSON-RPC"),
            ("Content-Length: 2\r\n".to_string(), "ended inside a message's header"),
        ] {
            let (messages, _, result) = read_all(input.as_bytes());
            assert!(messages.is_empty());
            let error = result.expect_err(said).to_string();
            assert!(error.contains(said), "{error}");
        }
    }
}
