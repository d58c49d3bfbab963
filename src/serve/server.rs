//! The preview's own small HTTP/1.1 server on `std::net`, a thread per connection, with
//! bounds: at most [`MAX_CONNECTIONS`] open (a new one pushes out the connection idle the
//! longest), a request head within [`wire::MAX_HEAD`] bytes and [`HEAD_TIME`], replies
//! written within [`WRITE_TIME`], and an accept loop that outlives a lack of file handles
//! and ends the program, saying why, only when the listener itself is gone.

use std::io;
use std::net::{IpAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::answer::{self, Answer, Site};
use super::events::{self, Streams};
use super::guard::Names;
use super::wire::{self, Reply, Unread};

/// The most connections open at once: far more than a few browsers need (six each).
pub const MAX_CONNECTIONS: usize = 64;
/// A request head must arrive within this long of the connection being ready for it.
pub const HEAD_TIME: Duration = Duration::from_secs(10);
/// Each write of a reply must go through within this long.
const WRITE_TIME: Duration = Duration::from_secs(30);
/// Errors of unknown kind, one after another for this long, mean the listener is gone.
const GIVE_UP: Duration = Duration::from_secs(60);

/// Everything the connections share.
pub struct Shared {
    pub site: Site,
    pub names: Names,
    pub connections: Connections,
    pub streams: Streams,
}

/// What a connection is doing, for choosing which one makes room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Waiting for a request, or reading one.
    Idle,
    /// Answering.
    Busy,
    /// Holding an event stream (those have a cap of their own).
    Held,
}

struct Open {
    id: u64,
    stream: Arc<TcpStream>,
    state: State,
    since: Instant,
}

/// The connections open now.
#[derive(Default)]
pub struct Connections {
    open: Mutex<Vec<Open>>,
    next: AtomicU64,
}

impl Connections {
    /// Takes in `stream`, pushing out another when all places are taken; its id, or `None`
    /// when every place holds an event stream.
    fn admit(&self, stream: Arc<TcpStream>) -> Option<u64> {
        let mut open = self.open.lock().ok()?;
        if open.len() >= MAX_CONNECTIONS {
            let oldest = |state| {
                (open.iter().enumerate())
                    .filter(|(_, o)| o.state == state)
                    .min_by_key(|(_, o)| o.since)
                    .map(|(i, _)| i)
            };
            let out = oldest(State::Idle).or_else(|| oldest(State::Busy))?;
            let _ = open
                .swap_remove(out)
                .stream
                .shutdown(std::net::Shutdown::Both);
        }
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let (state, since) = (State::Idle, Instant::now());
        open.push(Open {
            id,
            stream,
            state,
            since,
        });
        Some(id)
    }

    fn set(&self, id: u64, state: State) {
        if let Ok(mut open) = self.open.lock()
            && let Some(o) = open.iter_mut().find(|o| o.id == id)
        {
            o.state = state;
            o.since = Instant::now();
        }
    }

    fn leave(&self, id: u64) {
        if let Ok(mut open) = self.open.lock()
            && let Some(at) = open.iter().position(|o| o.id == id)
        {
            open.swap_remove(at);
        }
    }

    /// Closes the older half of the idle connections (at least one): the system has no file
    /// handles left for new ones.
    fn shed_idle(&self) {
        let Ok(mut open) = self.open.lock() else {
            return;
        };
        let mut idle: Vec<(Instant, u64)> = (open.iter())
            .filter(|o| o.state == State::Idle)
            .map(|o| (o.since, o.id))
            .collect();
        idle.sort_unstable();
        let shed: Vec<u64> = idle
            .iter()
            .take(idle.len().div_ceil(2))
            .map(|i| i.1)
            .collect();
        open.retain(|o| {
            let keep = !shed.contains(&o.id);
            if !keep {
                let _ = o.stream.shutdown(std::net::Shutdown::Both);
            }
            keep
        });
    }

    #[cfg(test)]
    fn count(&self) -> usize {
        self.open.lock().map_or(0, |o| o.len())
    }
}

/// Takes connections from `listener` until it is gone; the error that says so.
pub fn accept_all(listener: &impl Listener, shared: &Arc<Shared>) -> io::Error {
    let mut pause = Duration::from_millis(1);
    // Since when, and until when, `accept` has failed without a pause of a second.
    let mut troubled: Option<(Instant, Instant)> = None;
    loop {
        let error = match listener.take() {
            Ok(stream) => {
                (pause, troubled) = (Duration::from_millis(1), None);
                admit(stream, shared);
                continue;
            }
            Err(e) => e,
        };
        match trouble(&error) {
            Trouble::Passing => continue,
            Trouble::Dead => return error,
            Trouble::OutOfHandles => shared.connections.shed_idle(),
            Trouble::Unknown => {
                let now = Instant::now();
                let since = match troubled {
                    Some((since, last)) if now - last < Duration::from_secs(1) => since,
                    _ => now,
                };
                if now - since > GIVE_UP {
                    return error;
                }
                troubled = Some((since, now));
            }
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(100));
    }
}

/// Where connections come from: a [`TcpListener`], or a stand-in in tests.
pub trait Listener {
    fn take(&self) -> io::Result<TcpStream>;
}

impl Listener for TcpListener {
    fn take(&self) -> io::Result<TcpStream> {
        self.accept().map(|(s, _)| s)
    }
}

/// What an error of `accept` means.
#[derive(Debug, PartialEq, Eq)]
enum Trouble {
    /// One connection went wrong (reset before it was taken, a signal): take the next.
    Passing,
    /// No file handles or memory for another connection: make room, wait a moment.
    OutOfHandles,
    /// The listener is no longer there.
    Dead,
    /// Anything else: wait a moment and try again, for a while.
    Unknown,
}

fn trouble(e: &io::Error) -> Trouble {
    use io::ErrorKind as K;
    if matches!(
        e.kind(),
        K::ConnectionAborted | K::ConnectionReset | K::Interrupted | K::WouldBlock | K::TimedOut
    ) {
        return Trouble::Passing;
    }
    let code = e.raw_os_error().unwrap_or(0);
    // Network errors of the connection being taken, which Linux reports through `accept`.
    #[cfg(unix)]
    let passing = [
        libc::ENETDOWN,
        libc::EPROTO,
        libc::ENOPROTOOPT,
        libc::EHOSTDOWN,
        libc::EHOSTUNREACH,
        libc::EOPNOTSUPP,
        libc::ENETUNREACH,
    ];
    #[cfg(unix)]
    let (out_of, dead) = (
        [libc::EMFILE, libc::ENFILE, libc::ENOBUFS, libc::ENOMEM],
        [libc::EBADF, libc::EINVAL, libc::ENOTSOCK, libc::EFAULT],
    );
    // WSAENETDOWN; WSAEMFILE, WSAENOBUFS, out of memory; WSAEBADF, WSAEINVAL, WSAENOTSOCK,
    // WSAEFAULT.
    #[cfg(not(unix))]
    let (passing, out_of, dead) = ([10050], [10024, 10055, 8, 14], [10009, 10022, 10038, 10014]);
    if passing.contains(&code) {
        Trouble::Passing
    } else if out_of.contains(&code) {
        Trouble::OutOfHandles
    } else if dead.contains(&code) {
        Trouble::Dead
    } else {
        Trouble::Unknown
    }
}

/// Gives `stream` a place and a thread of its own.
fn admit(stream: TcpStream, shared: &Arc<Shared>) {
    let stream = Arc::new(stream);
    let Some(id) = shared.connections.admit(stream.clone()) else {
        return;
    };
    let mine = shared.clone();
    let spawned = std::thread::Builder::new()
        .name("serve-connection".into())
        .stack_size(512 * 1024)
        .spawn(move || {
            serve_connection(&stream, id, &mine);
            mine.connections.leave(id);
        });
    if spawned.is_err() {
        shared.connections.leave(id);
    }
}

/// Answers the requests that come on one connection, until it closes, goes quiet or asks
/// for something that ends it.
fn serve_connection(stream: &TcpStream, id: u64, shared: &Shared) {
    let _ = stream.set_write_timeout(Some(WRITE_TIME));
    let _ = stream.set_nodelay(true);
    let Ok(local) = stream.local_addr().map(|a| a.ip()) else {
        return;
    };
    let mut buf = Vec::new();
    loop {
        shared.connections.set(id, State::Idle);
        let head = match wire::read_head(stream, &mut buf, Instant::now() + HEAD_TIME) {
            Ok(head) => head,
            Err(Unread::Gone) => return,
            Err(Unread::TooLarge) => {
                return refuse(stream, Reply::text(431, "request head too large\n"));
            }
            Err(Unread::Malformed) => return refuse(stream, Reply::text(400, "bad request\n")),
        };
        shared.connections.set(id, State::Busy);
        if !answer_one(stream, id, &head, local, shared) {
            return;
        }
    }
}

/// Answers one request; whether the connection takes another.
fn answer_one(
    stream: &TcpStream,
    id: u64,
    head: &wire::Head,
    local: IpAddr,
    shared: &Shared,
) -> bool {
    let head_only = head.method == "HEAD";
    match answer::answer(head, &shared.site, &shared.names, local) {
        Answer::Events(_) if head_only => {
            let reply = Reply::new(200, "text/event-stream", wire::Body::Empty);
            let _ = wire::send(stream, reply.closing(), true);
            false
        }
        Answer::Events(seen) => {
            shared.connections.set(id, State::Held);
            let _ = events::stream(stream, seen, &shared.site.live, &shared.streams);
            false
        }
        Answer::Reply(reply) if reply.close || !head.keep_alive() => {
            let failed = reply.status >= 400 && reply.status != 404;
            let reply = reply.closing();
            if wire::send(stream, reply, head_only).is_ok() && failed {
                wire::linger(stream);
            }
            false
        }
        Answer::Reply(reply) => wire::send(stream, reply, head_only).is_ok(),
    }
}

/// Answers a request that cannot be taken, and closes the connection.
fn refuse(stream: &TcpStream, reply: Reply) {
    if wire::send(stream, reply.closing(), false).is_ok() {
        wire::linger(stream);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_errors_are_told_apart() {
        let os = io::Error::from_raw_os_error;
        #[cfg(unix)]
        {
            assert_eq!(trouble(&os(libc::EMFILE)), Trouble::OutOfHandles);
            assert_eq!(trouble(&os(libc::ENFILE)), Trouble::OutOfHandles);
            assert_eq!(trouble(&os(libc::EBADF)), Trouble::Dead);
            assert_eq!(trouble(&os(libc::EINVAL)), Trouble::Dead);
            assert_eq!(trouble(&os(libc::ECONNABORTED)), Trouble::Passing);
            assert_eq!(trouble(&os(libc::EINTR)), Trouble::Passing);
            assert_eq!(trouble(&os(libc::EPROTO)), Trouble::Passing);
            assert_eq!(trouble(&os(libc::EIO)), Trouble::Unknown);
        }
        assert_eq!(
            trouble(&io::ErrorKind::ConnectionReset.into()),
            Trouble::Passing
        );
    }

    /// A listener that fails as told, then is gone.
    struct Failing(Mutex<Vec<io::Error>>);

    impl Listener for Failing {
        fn take(&self) -> io::Result<TcpStream> {
            let mut left = self.0.lock().unwrap();
            Err(left
                .pop()
                .unwrap_or_else(|| io::Error::from_raw_os_error(9)))
        }
    }

    fn shared() -> Arc<Shared> {
        Arc::new(Shared {
            site: Site {
                live: Arc::default(),
                base: "/".into(),
                lang: crate::messages::Lang::En,
                content: Vec::new(),
            },
            names: Names::default(),
            connections: Connections::default(),
            streams: Streams::default(),
        })
    }

    #[cfg(unix)]
    #[test]
    fn the_accept_loop_outlives_passing_trouble_and_ends_when_the_listener_is_gone() {
        let os = io::Error::from_raw_os_error;
        let errors = vec![os(libc::EMFILE), os(libc::ECONNABORTED), os(libc::EMFILE)];
        let dead = accept_all(&Failing(Mutex::new(errors)), &shared());
        assert_eq!(dead.raw_os_error(), Some(libc::EBADF));
    }

    #[test]
    fn a_full_house_makes_room_by_closing_the_longest_idle() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let connections = Connections::default();
        let mut clients = Vec::new();
        let mut ids = Vec::new();
        for _ in 0..MAX_CONNECTIONS {
            clients.push(TcpStream::connect(address).unwrap());
            let (server_side, _) = listener.accept().unwrap();
            ids.push(connections.admit(Arc::new(server_side)).unwrap());
        }
        connections.set(ids[0], State::Held);
        connections.set(ids[1], State::Busy);
        clients.push(TcpStream::connect(address).unwrap());
        let (server_side, _) = listener.accept().unwrap();
        connections.admit(Arc::new(server_side)).unwrap();
        assert_eq!(connections.count(), MAX_CONNECTIONS);
        // The first idle one (the third) was closed: its client reads the end.
        let mut byte = [0; 1];
        use io::Read;
        assert_eq!(clients[2].read(&mut byte).unwrap(), 0);
        connections.shed_idle();
        assert_eq!(
            connections.count(),
            MAX_CONNECTIONS - (MAX_CONNECTIONS - 2) / 2
        );
    }
}
