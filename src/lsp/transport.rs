//! The base protocol over standard input and output: `Content-Length` frames of
//! JSON-RPC messages, read defensively.
//!
//! A frame larger than [`MAX_FRAME`] is refused before anything is allocated for it;
//! a frame that is not JSON, or JSON that is not a message, is answered with a JSON-RPC
//! error (`-32700` parse error, `-32600` invalid request) and the server keeps serving.
//! After a bad frame the reader finds the next `Content-Length` header, so a frame
//! whose length overstates its body costs that frame only, not the session.

use std::io::{self, Read, Write};
use std::thread::{self, JoinHandle};

use crossbeam_channel::{bounded, select, unbounded, Receiver, Sender};
use lsp_server::{Connection, Message};
use serde_json::{json, Value};

/// The largest frame read (a 64 MiB document is far past any template's size).
pub const MAX_FRAME: u64 = 64 << 20;
/// The longest header block (`Content-Length` and `Content-Type` need a few dozen bytes).
const MAX_HEADER: usize = 8 << 10;
const MARKER: &[u8] = b"Content-Length:";

/// What the reader found in the input.
#[derive(Debug, PartialEq)]
pub enum Frame {
    /// A whole body.
    Body(Vec<u8>),
    /// A header whose `Content-Length` is missing, not a number or over the cap.
    BadHeader(String),
}

/// Splits a byte stream into frames.
pub struct Frames<R> {
    input: R,
    buffer: Vec<u8>,
    /// Bytes of `buffer` before this are consumed.
    at: usize,
    eof: bool,
}

impl<R: Read> Frames<R> {
    pub fn new(input: R) -> Self {
        Frames {
            input,
            buffer: Vec::new(),
            at: 0,
            eof: false,
        }
    }

    /// Reads more input; false at the end of it.
    fn fill(&mut self) -> io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.at > 0 && self.at * 2 >= self.buffer.len() {
            self.buffer.drain(..self.at);
            self.at = 0;
        }
        let mut chunk = [0; 64 << 10];
        loop {
            match self.input.read(&mut chunk) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.buffer.extend_from_slice(&chunk[..n]);
                    return Ok(true);
                }
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Err(error),
            }
        }
    }

    fn pending(&self) -> &[u8] {
        &self.buffer[self.at..]
    }

    /// The next frame, or `None` at the end of the input.
    pub fn next_frame(&mut self) -> io::Result<Option<Frame>> {
        // The header: from the next `Content-Length:` to the blank line.
        let (value, body_start) = loop {
            let Some(marker) = find(self.pending(), MARKER) else {
                // Nothing that starts a frame: keep only what could be the start of
                // a marker cut by the read.
                let keep = self.pending().len().min(MARKER.len() - 1);
                self.at = self.buffer.len() - keep;
                if !self.fill()? {
                    return Ok(None);
                }
                continue;
            };
            self.at += marker;
            let header = &self.pending()[..self.pending().len().min(MAX_HEADER)];
            match find(header, b"\r\n\r\n") {
                Some(end) => {
                    let line_end = find(header, b"\r\n").unwrap_or(end);
                    let value = String::from_utf8_lossy(&header[MARKER.len()..line_end])
                        .trim()
                        .to_string();
                    break (value, self.at + end + 4);
                }
                None if header.len() >= MAX_HEADER => {
                    self.at += MARKER.len();
                    return Ok(Some(Frame::BadHeader(
                        "the frame's header has no end".into(),
                    )));
                }
                None => {
                    if !self.fill()? {
                        return Ok(None);
                    }
                }
            }
        };
        let length = match value.parse::<u64>() {
            Ok(length) if length <= MAX_FRAME => length as usize,
            Ok(length) => {
                self.at = body_start;
                return Ok(Some(Frame::BadHeader(format!(
                    "Content-Length {length} is over the {MAX_FRAME}-byte limit"
                ))));
            }
            Err(_) => {
                self.at = body_start;
                return Ok(Some(Frame::BadHeader(format!(
                    "Content-Length `{value}` is not a length"
                ))));
            }
        };
        self.at = body_start;
        while self.pending().len() < length {
            if !self.fill()? {
                // The input ended inside the body: if another frame follows, the
                // length overstated this one (see below).
                return Ok(find(self.pending(), MARKER).map(|next| {
                    let frame = self.pending()[..next].to_vec();
                    self.at += next;
                    Frame::Body(frame)
                }));
            }
        }
        let body_start = self.at;
        let body = &self.buffer[body_start..body_start + length];
        // A length that overstates its body swallows the next frame's header: the
        // frame ends there, and the next one is read from its header.
        if serde_json::from_slice::<serde::de::IgnoredAny>(body).is_err() {
            if let Some(next) = find(body, MARKER) {
                let frame = body[..next].to_vec();
                self.at = body_start + next;
                return Ok(Some(Frame::Body(frame)));
            }
        }
        let frame = body.to_vec();
        self.at = body_start + length;
        Ok(Some(Frame::Body(frame)))
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

/// What a frame's body holds: a message, or the error response to send back.
pub fn decode(body: &[u8]) -> Result<Message, Value> {
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(error) => return Err(error_response(Value::Null, -32700, &error.to_string())),
    };
    let id = value.get("id").cloned().unwrap_or(Value::Null);
    serde_json::from_value::<Message>(value)
        .map_err(|error| error_response(id, -32600, &format!("not a JSON-RPC message: {error}")))
}

fn error_response(id: Value, code: i32, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

/// The connection over standard input and output, and the writer thread to join at
/// the end (the reader is left to end with the process: it may be blocked on input).
pub fn stdio() -> (Connection, JoinHandle<io::Result<()>>) {
    let (to_client, outgoing) = bounded::<Message>(0);
    let (errors, error_outgoing) = unbounded::<Value>();
    let writer = thread::spawn(move || write_loop(&outgoing, &error_outgoing));
    let (incoming, from_client) = bounded::<Message>(0);
    thread::spawn(move || read_loop(io::stdin().lock(), &incoming, &errors));
    (
        Connection {
            sender: to_client,
            receiver: from_client,
        },
        writer,
    )
}

fn read_loop(input: impl Read, incoming: &Sender<Message>, errors: &Sender<Value>) {
    let mut frames = Frames::new(input);
    while let Ok(Some(frame)) = frames.next_frame() {
        let decoded = match frame {
            Frame::Body(body) => decode(&body),
            Frame::BadHeader(message) => Err(error_response(Value::Null, -32700, &message)),
        };
        match decoded {
            Ok(message) => {
                let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                if incoming.send(message).is_err() || exit {
                    return;
                }
            }
            Err(response) => {
                if errors.send(response).is_err() {
                    return;
                }
            }
        }
    }
}

fn write_loop(messages: &Receiver<Message>, errors: &Receiver<Value>) -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    loop {
        select! {
            recv(messages) -> message => match message {
                Ok(message) => message.write(&mut out)?,
                // The server is done: answer the bad frames still queued, then stop.
                Err(_) => {
                    for error in errors.try_iter() {
                        write_error(&mut out, &error)?;
                    }
                    return Ok(());
                }
            },
            recv(errors) -> error => {
                if let Ok(error) = error {
                    write_error(&mut out, &error)?;
                }
            }
        }
    }
}

fn write_error(out: &mut impl Write, error: &Value) -> io::Result<()> {
    let text = error.to_string();
    write!(out, "Content-Length: {}\r\n\r\n{text}", text.len())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8]) -> Vec<Frame> {
        let mut frames = Frames::new(input);
        let mut all = Vec::new();
        while let Ok(Some(frame)) = frames.next_frame() {
            all.push(frame);
        }
        all
    }

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn oversized_and_invalid_lengths_are_refused_and_reading_goes_on() {
        let input = format!(
            "Content-Length: 1000000000000000\r\n\r\nContent-Length: 18446744073709551615\r\n\r\nContent-Length: 99999999999999999999999\r\n\r\n{}",
            frame("{}")
        );
        let all = frames(input.as_bytes());
        assert_eq!(all.len(), 4, "{all:?}");
        assert!(matches!(&all[0], Frame::BadHeader(m) if m.contains("over the")));
        assert!(matches!(&all[2], Frame::BadHeader(m) if m.contains("not a length")));
        assert_eq!(all[3], Frame::Body(b"{}".to_vec()));
    }

    #[test]
    fn an_overstated_length_costs_one_frame() {
        let input = format!("Content-Length: 40\r\n\r\n{{\"a\": 1}}{}", frame("[1]"));
        let all = frames(input.as_bytes());
        assert_eq!(
            all,
            vec![
                Frame::Body(b"{\"a\": 1}".to_vec()),
                Frame::Body(b"[1]".to_vec())
            ]
        );
    }

    #[test]
    fn headers_may_come_in_any_order_and_garbage_is_skipped() {
        let input = format!(
            "garbage\r\nContent-Type: application/vscode-jsonrpc\r\n{}",
            frame("{}")
        );
        assert_eq!(frames(input.as_bytes()), vec![Frame::Body(b"{}".to_vec())]);
    }

    #[test]
    fn malformed_bodies_decode_to_error_responses() {
        let error = decode(b"{not json").expect_err("parse error");
        assert_eq!(error["error"]["code"], -32700);
        assert_eq!(error["id"], Value::Null);
        let error = decode(br#"{"jsonrpc": "2.0", "id": 1, "method": "x", "params": "\ud83d"}"#)
            .expect_err("lone surrogate");
        assert_eq!(error["error"]["code"], -32700);
        let error = decode(br#"{"jsonrpc": "2.0", "id": 7}"#).expect_err("not a message");
        assert_eq!(error["error"]["code"], -32600);
        assert_eq!(error["id"], 7);
    }
}
