//! HTTP/1.1 on a plain TCP stream, as much as the preview needs: a request head read within
//! a size and a time limit and parsed strictly (what browsers send, nothing that two readers
//! could take two ways), and replies written with their length, files streamed.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The most a request head (request line and headers) may take: a browser's is under 2 KB.
pub const MAX_HEAD: usize = 16 * 1024;
/// The most header lines a request may have.
const MAX_HEADERS: usize = 100;

/// A request's method, target and headers.
#[derive(Debug, Clone)]
pub struct Head {
    pub method: String,
    /// The path and query, as sent (visible ASCII, starting with `/`).
    pub target: String,
    /// HTTP/1.1; otherwise HTTP/1.0.
    pub http11: bool,
    /// Names in lower case, values trimmed.
    pub headers: Vec<(String, String)>,
}

impl Head {
    /// Every value of header `name` (lower case).
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        (self.headers.iter())
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of header `name` when it is given exactly once.
    pub fn one<'a>(&'a self, name: &'a str) -> Option<&'a str> {
        let mut values = self.all(name);
        let first = values.next()?;
        values.next().is_none().then_some(first)
    }

    /// Whether the connection may carry another request after this one.
    pub fn keep_alive(&self) -> bool {
        self.http11
            && !self
                .all("connection")
                .flat_map(|v| v.split(','))
                .any(|t| t.trim().eq_ignore_ascii_case("close"))
    }

    /// The path without the query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }
}

/// Why no request head could be taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unread {
    /// The peer closed the connection or sent nothing more in time: nothing to answer.
    Gone,
    /// More than [`MAX_HEAD`] bytes without the end of the head (431).
    TooLarge,
    /// Not a request this server takes (400).
    Malformed,
}

/// Reads one request head from `stream` into `buf` (which may already hold it, or its start,
/// sent behind the last request), at most [`MAX_HEAD`] bytes and until `deadline`; the head,
/// taken out of `buf`.
pub fn read_head(stream: &TcpStream, buf: &mut Vec<u8>, deadline: Instant) -> Result<Head, Unread> {
    let mut searched = 0;
    loop {
        if let Some(end) = head_end(buf, searched) {
            let head = parse(&buf[..end]);
            buf.drain(..end);
            return head;
        }
        searched = buf.len().saturating_sub(3);
        if buf.len() >= MAX_HEAD {
            return Err(Unread::TooLarge);
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return Err(Unread::Gone);
        }
        let mut chunk = [0; 4096];
        let room = (MAX_HEAD + 4 - buf.len()).min(chunk.len());
        match (&*stream).read(&mut chunk[..room]) {
            Ok(0) => return Err(Unread::Gone),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return Err(Unread::Gone),
        }
    }
}

/// Where the head in `buf` ends (after its blank line, CRLF or a bare LF), looking from
/// `from` on.
fn head_end(buf: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(i) = memchr::memchr(b'\n', &buf[at..]) {
        let lf = at + i;
        let blank = (lf >= 1 && buf[lf - 1] == b'\n')
            || (lf >= 2 && buf[lf - 1] == b'\r' && buf[lf - 2] == b'\n');
        if blank {
            return Some(lf + 1);
        }
        at = lf + 1;
    }
    None
}

/// A request head, every line ending in CRLF: `METHOD /target HTTP/1.x` and `Name: value`
/// lines (no folded lines, no space before the colon, no control characters).
fn parse(head: &[u8]) -> Result<Head, Unread> {
    let text = std::str::from_utf8(head).map_err(|_| Unread::Malformed)?;
    let text = text.strip_suffix("\r\n\r\n").ok_or(Unread::Malformed)?;
    let mut lines = text.split("\r\n");
    let (method, target, http11) = request_line(lines.next().unwrap_or(""))?;
    let mut headers = Vec::new();
    for line in lines {
        let (name, value) = line.split_once(':').ok_or(Unread::Malformed)?;
        let value = value.trim_matches([' ', '\t']);
        let bad_value = value.chars().any(|c| c.is_control() && c != '\t');
        if !is_token(name) || bad_value {
            return Err(Unread::Malformed);
        }
        headers.push((name.to_ascii_lowercase(), value.to_owned()));
    }
    if headers.len() > MAX_HEADERS {
        return Err(Unread::TooLarge);
    }
    Ok(Head {
        method,
        target,
        http11,
        headers,
    })
}

fn request_line(line: &str) -> Result<(String, String, bool), Unread> {
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Unread::Malformed);
    };
    let http11 = match version {
        "HTTP/1.1" => true,
        "HTTP/1.0" => false,
        _ => return Err(Unread::Malformed),
    };
    let target_ok = target.starts_with('/') && target.bytes().all(|b| b.is_ascii_graphic());
    if !is_token(method) || !target_ok {
        return Err(Unread::Malformed);
    }
    Ok((method.to_owned(), target.to_owned(), http11))
}

/// An HTTP token: a header name or a method.
fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Whether the request carries a body, or says so in a way that could be read two ways
/// (`Transfer-Encoding`, or a `Content-Length` that is not one plain number): the server
/// takes no bodies, so it answers and closes.
pub fn has_body(head: &Head) -> bool {
    let mut lengths = head.all("content-length");
    let no_body = match (lengths.next(), lengths.next()) {
        (None, _) => true,
        (Some(v), None) => !v.is_empty() && v.bytes().all(|b| b == b'0'),
        _ => false,
    };
    head.all("transfer-encoding").next().is_some() || !no_body
}

/// What a reply carries.
pub enum Body {
    Empty,
    Shared(Arc<[u8]>),
    Owned(Vec<u8>),
    /// A file opened for reading, and how many bytes of it to send.
    File(std::fs::File, u64),
}

impl Body {
    fn len(&self) -> u64 {
        match self {
            Body::Empty => 0,
            Body::Shared(b) => b.len() as u64,
            Body::Owned(b) => b.len() as u64,
            Body::File(_, n) => *n,
        }
    }
}

/// A reply: its status, type, body and any headers of its own (`Location`, `Allow`).
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Body,
    pub extra: Vec<(&'static str, String)>,
    /// The connection ends after this reply.
    pub close: bool,
}

impl Reply {
    pub fn new(status: u16, content_type: &'static str, body: Body) -> Reply {
        Reply {
            status,
            content_type,
            body,
            extra: Vec::new(),
            close: false,
        }
    }

    /// A short plain-text reply.
    pub fn text(status: u16, text: &str) -> Reply {
        let body = Body::Owned(text.as_bytes().to_vec());
        Reply::new(status, "text/plain; charset=utf-8", body)
    }

    pub fn with(mut self, name: &'static str, value: impl Into<String>) -> Reply {
        self.extra.push((name, value.into()));
        self
    }

    pub fn closing(mut self) -> Reply {
        self.close = true;
        self
    }
}

/// Headers every reply carries: nothing cached, no type guessed, no address of the preview
/// sent on to another site, nothing of it loaded into another site's page or frame.
pub const GUARD_HEADERS: &str = "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\nCross-Origin-Resource-Policy: same-origin\r\nX-Frame-Options: SAMEORIGIN\r\n";

/// The status line and headers of `reply`; `length` is left out for a stream that ends when
/// the connection does.
pub fn head_of(reply: &Reply, length: Option<u64>) -> String {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\n{GUARD_HEADERS}",
        reply.status,
        reason(reply.status),
        reply.content_type
    );
    if let Some(n) = length {
        head.push_str(&format!("Content-Length: {n}\r\n"));
    }
    for (name, value) in &reply.extra {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if reply.close {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    head
}

/// Writes `reply` (only its head when `head_only`, for `HEAD`). A file that ends before its
/// length is an error, so the connection is closed rather than left out of step.
pub fn send(stream: &TcpStream, reply: Reply, head_only: bool) -> io::Result<()> {
    let mut out = stream;
    let head = head_of(&reply, Some(reply.body.len()));
    if head_only {
        return out.write_all(head.as_bytes());
    }
    match reply.body {
        Body::Empty => out.write_all(head.as_bytes()),
        Body::Shared(b) => write_two(out, head.as_bytes(), &b),
        Body::Owned(b) => write_two(out, head.as_bytes(), &b),
        Body::File(file, n) => {
            out.write_all(head.as_bytes())?;
            let sent = io::copy(&mut file.take(n), &mut out)?;
            match sent == n {
                true => Ok(()),
                false => Err(io::ErrorKind::UnexpectedEof.into()),
            }
        }
    }
}

/// Writes a head and a small body in one piece (one packet where they fit), a large body
/// after its head.
fn write_two(mut out: &TcpStream, head: &[u8], body: &[u8]) -> io::Result<()> {
    if body.len() <= 64 * 1024 {
        let mut all = Vec::with_capacity(head.len() + body.len());
        all.extend_from_slice(head);
        all.extend_from_slice(body);
        out.write_all(&all)
    } else {
        out.write_all(head)?;
        out.write_all(body)
    }
}

/// Ends a connection after an error reply without losing the reply: the client may still be
/// sending (a head without end, a body), and closing with unread data would reset the
/// connection before it read the answer. Reads and drops what comes, for a short while.
pub fn linger(stream: &TcpStream) {
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let deadline = Instant::now() + Duration::from_secs(2);
    let mut left: usize = 1 << 20;
    let mut sink = [0; 4096];
    while left > 0 {
        let wait = deadline.saturating_duration_since(Instant::now());
        if wait.is_zero() || stream.set_read_timeout(Some(wait)).is_err() {
            break;
        }
        match (&*stream).read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => left = left.saturating_sub(n),
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(text: &str) -> Result<Head, Unread> {
        let end = head_end(text.as_bytes(), 0).ok_or(Unread::Gone)?;
        parse(&text.as_bytes()[..end])
    }

    #[test]
    fn a_browsers_request_is_read() {
        let h =
            head("GET /a/?q=1 HTTP/1.1\r\nHost: 127.0.0.1:1111\r\nAccept: */*\r\n\r\n").unwrap();
        assert_eq!(
            (h.method.as_str(), h.path(), h.http11),
            ("GET", "/a/", true)
        );
        assert_eq!(h.one("host"), Some("127.0.0.1:1111"));
        assert!(h.keep_alive() && !has_body(&h));
        let h = head("GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, Close\r\n\r\n").unwrap();
        assert!(!h.keep_alive());
        let h = head("GET / HTTP/1.0\r\nHost: x\r\nContent-Length: 00\r\n\r\n").unwrap();
        assert!(!h.keep_alive() && !has_body(&h));
    }

    #[test]
    fn anything_that_could_be_read_two_ways_is_refused() {
        for bad in [
            "GET / HTTP/1.1\nHost: x\n\n",
            "GET / HTTP/1.1\r\nHost: x\n\r\n",
            "GET / HTTP/1.1\r\nHost : x\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",
            "GET / HTTP/1.1\r\nX: a\u{1}b\r\n\r\n",
            "GET  / HTTP/1.1\r\n\r\n",
            "GET http://a/ HTTP/1.1\r\n\r\n",
            "GET / HTTP/2\r\n\r\n",
            "GET / http/1.1\r\n\r\n",
            "\r\n\r\n",
            "GET /\u{e9} HTTP/1.1\r\n\r\n",
        ] {
            assert_eq!(head(bad).err(), Some(Unread::Malformed), "{bad:?}");
        }
        for body in [
            "Content-Length: 5",
            "Content-Length: 0\r\nContent-Length: 0",
            "Content-Length: 0, 0",
            "Content-Length: +0",
            "Content-Length: -0",
            "Content-Length:",
            "Transfer-Encoding: chunked",
            "Transfer-Encoding: identity",
        ] {
            let h = head(&format!("GET / HTTP/1.1\r\nHost: x\r\n{body}\r\n\r\n")).unwrap();
            assert!(has_body(&h), "{body}");
        }
    }

    #[test]
    fn the_guard_headers_are_on_every_head() {
        let r = Reply::text(421, "x").with("Allow", "GET, HEAD").closing();
        let h = head_of(&r, Some(1));
        assert!(h.starts_with("HTTP/1.1 421 Misdirected Request\r\n"));
        assert!(h.contains("\r\nReferrer-Policy: no-referrer\r\n"));
        assert!(h.contains("\r\nX-Content-Type-Options: nosniff\r\n"));
        assert!(h.ends_with("Allow: GET, HEAD\r\nConnection: close\r\n\r\n"));
    }
}
