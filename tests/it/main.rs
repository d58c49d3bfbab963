//! The integration tests, as one binary (one link instead of one per file): fixture sites are
//! built in temp folders by the real `qinglian` binary and checked on output and stderr.

mod common;
mod consumers;
mod static_server;
mod webdriver;
#[cfg(unix)]
mod workbooks;

mod a11y;
mod bad_input;
mod browser;
mod build;
mod clerk;
mod column;
mod hostile;
mod html;
#[cfg(unix)]
mod import_bounds;
mod layers;
mod no_panic;
#[cfg(unix)]
mod no_panic_import;
mod output;
mod paper;
mod phone;
mod public;
mod quiz;
mod quiz_export;
mod scale;
mod scorm;
mod search;
mod serve;
mod serve_hostile;
mod serve_random;
mod units;
mod words;
