//! Qinglian (清廉): a static-site generator for hospital integrity websites.
//!
//! The pipeline is a chain of plain functions: [`source::load`] reads `content/`,
//! [`kinds::parse`] types every file, [`site::link`] resolves references and renders bodies,
//! [`render::render_all`] fills the theme's templates, and [`output::Staging`] swaps the
//! result into place. The [`cmd`] modules drive it, one per command.

// A `Diagnostic` is the error of content checks: large, but only on the cold path, and
// boxing it everywhere would only add noise.
#![allow(clippy::result_large_err)]

pub mod cmd;
pub mod config;
pub mod diag;
pub mod error;
pub mod frontmatter;
pub mod fsio;
pub mod kinds;
pub mod markdown;
pub mod output;
pub mod privacy;
pub mod render;
pub mod search;
pub mod site;
pub mod source;

pub use cmd::Outcome;
pub use error::{Error, Result};
