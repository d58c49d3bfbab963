//! The reload events: a page that is showing keeps one Server-Sent Events stream open and
//! hears the next version the moment it is published. A browser opens at most six
//! connections to one address, so the streams are few: past [`MAX_STREAMS`], a page is told
//! to ask for the version once a second instead, and a hidden page closes its stream (the
//! script in [`super::inject`]).

use std::io::{self, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::live::Live;
use super::wire::{self, Body, Reply};

/// The most event streams held open at once, over all browsers: fewer than a browser's six
/// connections to one address, so pages still load when every stream is taken.
pub const MAX_STREAMS: usize = 4;
/// How often a waiting stream looks whether its page has gone.
const PROBE: Duration = Duration::from_secs(1);
/// A stream ends after this long and the browser opens it again, so a page that vanished
/// without closing its connection holds its place for no longer.
const LIFETIME: Duration = Duration::from_secs(300);

/// The streams held open now.
#[derive(Debug, Default)]
pub struct Streams {
    open: AtomicUsize,
}

/// A place among the streams, given back when dropped.
struct Place<'a>(&'a Streams);

impl Drop for Place<'_> {
    fn drop(&mut self) {
        self.0.open.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Streams {
    fn take(&self) -> Option<Place<'_>> {
        let taken = self
            .open
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < MAX_STREAMS).then_some(n + 1)
            });
        taken.ok().map(|_| Place(self))
    }
}

/// Answers a page of version `seen` on `stream`: the newer version at once when there is
/// one; else, with a place free, the next version when it comes (the stream then ends and
/// the page reloads); without a place, `event: poll`.
pub fn stream(stream: &TcpStream, seen: u64, live: &Live, streams: &Streams) -> io::Result<()> {
    let reply = Reply::new(200, "text/event-stream", Body::Empty).closing();
    let mut out = stream;
    out.write_all(wire::head_of(&reply, None).as_bytes())?;
    let now = live.snapshot().version;
    if now != seen {
        return out.write_all(format!("retry: 1000\ndata: {now}\n\n").as_bytes());
    }
    let Some(_place) = streams.take() else {
        return out.write_all(format!("retry: 60000\nevent: poll\ndata: {now}\n\n").as_bytes());
    };
    out.write_all(b"retry: 1000\n: waiting for the next build\n\n")?;
    let started = Instant::now();
    loop {
        let version = live.wait_past(seen, PROBE);
        if version != seen {
            return out.write_all(format!("data: {version}\n\n").as_bytes());
        }
        if gone(stream) || started.elapsed() > LIFETIME {
            return Ok(());
        }
    }
}

/// Whether the page at the other end has closed its connection.
fn gone(stream: &TcpStream) -> bool {
    if stream.set_nonblocking(true).is_err() {
        return true;
    }
    let looked = stream.peek(&mut [0; 1]);
    let _ = stream.set_nonblocking(false);
    match looked {
        Ok(n) => n == 0,
        Err(e) => e.kind() != io::ErrorKind::WouldBlock,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_counted_and_given_back() {
        let streams = Streams::default();
        let places: Vec<_> = (0..MAX_STREAMS).map_while(|_| streams.take()).collect();
        assert_eq!(places.len(), MAX_STREAMS);
        assert!(streams.take().is_none());
        drop(places);
        assert!(streams.take().is_some());
    }
}
