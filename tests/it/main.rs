//! The integration tests, as one binary (one link instead of one per file): fixture sites are
//! built in temp folders by the real `qinglian` binary and checked on output and stderr.

mod common;
mod consumers;
mod static_server;
mod webdriver;

mod a11y;
mod bad_input;
mod browser;
mod build;
mod clerk;
mod column;
mod hostile;
mod no_panic;
mod output;
mod phone;
mod public;
mod quiz;
mod quiz_export;
mod scale;
mod scorm;
mod search;
mod serve;
mod serve_random;
mod words;
