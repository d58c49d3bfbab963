//! The preview server's parts: the address it binds and announces, the guard on who may ask,
//! the HTTP it speaks, the live site it answers from and its reload events, the watcher, and
//! the incremental rebuild with the search index made after it. The command that puts them
//! together is [`crate::cmd::serve`].

pub mod address;
pub mod answer;
pub mod events;
pub mod guard;
pub mod http;
pub mod incremental;
pub mod indexing;
pub mod inject;
pub mod live;
pub mod server;
#[cfg(test)]
pub(crate) mod testutil;
pub mod watch;
pub mod wire;
