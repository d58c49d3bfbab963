//! Qinglian (清廉): a static-site generator for hospital integrity websites.
//!
//! The pipeline is a chain of plain functions, one module per stage (see [`pipeline`]):
//! [`source::load`] reads `content/`, [`kinds::parse`] types every file, [`site::link`]
//! resolves references and builds the indexes (a [`site::Linked`] site), [`bodies::render`]
//! renders each Markdown body (the linked site and its bodies are a [`built::Site`], the only
//! value with pages), [`lint::run`] checks what is published, [`plan::plan`] lists the outputs,
//! [`render::render`] fills one output's template, and [`output::Staging`] swaps the result
//! into place. The [`cmd`] modules drive it, one per command.

// A `Diagnostic` is the error of content checks: large, but only on the cold path, and
// boxing it everywhere would only add noise.
#![allow(clippy::result_large_err)]

pub mod bodies;
pub mod built;
pub mod cache;
pub mod cmd;
pub mod config;
pub mod diag;
pub mod error;
pub mod export;
pub mod fsio;
#[macro_use]
pub mod kinds;
pub mod lint;
pub mod markdown;
pub mod messages;
pub mod output;
pub mod pipeline;
pub mod plan;
pub mod render;
pub mod search;
pub mod serve;
pub mod site;
pub mod source;
pub mod theme;
pub mod types;
pub mod units;
pub mod yaml;

pub use cmd::Outcome;
pub use error::{Error, Result};
