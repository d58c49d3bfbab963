//! Errors that stop a command before or outside content checking: I/O and usage (exit code 2).

use std::fmt;
use std::io;
use std::path::PathBuf;

/// An I/O or usage failure. Content mistakes are [`crate::diag::Diagnostic`]s, not errors.
#[derive(Debug)]
pub enum Error {
    /// A file-system operation failed on `path`.
    Io {
        action: &'static str,
        path: PathBuf,
        source: io::Error,
    },
    /// The command line or the environment asks for something we refuse to do.
    Usage(String),
    /// The new output could not be moved into `out` after the previous one was moved aside;
    /// `restored` says whether the previous output went back, else it is still at `previous`.
    Swap {
        out: PathBuf,
        previous: PathBuf,
        restored: bool,
        source: Box<Error>,
    },
}

impl Error {
    pub fn usage(message: impl Into<String>) -> Self {
        Error::Usage(message.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { action, path, .. } => write!(f, "cannot {action} `{}`", path.display()),
            Error::Usage(message) => f.write_str(message),
            Error::Swap {
                out,
                restored: true,
                ..
            } => write!(
                f,
                "could not move the new site into `{}`; the previous output was put back there, unchanged",
                out.display()
            ),
            Error::Swap { out, previous, .. } => write!(
                f,
                "could not move the new site into `{}`, nor put the previous output back: it is now at `{}`; rename it to `{}` yourself",
                out.display(),
                previous.display(),
                out.display()
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            Error::Usage(_) => None,
            Error::Swap { source, .. } => Some(source.as_ref()),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
