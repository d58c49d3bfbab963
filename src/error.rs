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
    Usage(crate::messages::Msg),
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
    pub fn usage(message: impl Into<crate::messages::Msg>) -> Self {
        Error::Usage(message.into())
    }

    /// A usage error followed by how to put it right.
    pub fn with_hint(self, hint: crate::messages::Msg) -> Self {
        match self {
            Error::Usage(m) => {
                Error::Usage(crate::msg!("error.hinted").sub("what", m).sub("hint", hint))
            }
            other => other,
        }
    }

    /// A usage error that names its cause (a failed file operation), in the same message.
    pub fn with_cause(self, cause: &Error) -> Self {
        let cause = match cause {
            Error::Io { source, .. } => io_cause(source),
            other => other.what(),
        };
        match self {
            Error::Usage(m) => Error::Usage(
                crate::msg!("error.because")
                    .sub("what", m)
                    .sub("cause", cause),
            ),
            other => other,
        }
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

impl Error {
    /// The whole error in `lang`: what failed, and why, in words (not the system's codes).
    pub fn render(&self, lang: crate::messages::Lang) -> String {
        let mut text = crate::msg!("error.line")
            .sub("what", self.what())
            .render(lang);
        let mut source = std::error::Error::source(self);
        while let Some(s) = source {
            let cause = if let Some(e) = s.downcast_ref::<io::Error>() {
                io_cause(e)
            } else if let Some(e) = s.downcast_ref::<Error>() {
                e.what()
            } else {
                crate::msg!("io.other")
            };
            text.push('\n');
            text.push_str(
                &crate::msg!("error.caused_by")
                    .sub("cause", cause)
                    .render(lang),
            );
            source = s.source();
        }
        text
    }

    /// What failed, without its causes.
    fn what(&self) -> crate::messages::Msg {
        match self {
            Error::Usage(m) => m.clone(),
            Error::Io { action, path, .. } => {
                crate::msg!("error.io", path = path.display()).sub("action", action_msg(action))
            }
            Error::Swap {
                out,
                restored: true,
                ..
            } => {
                crate::msg!("error.swap_restored", out = out.display())
            }
            Error::Swap { out, previous, .. } => crate::msg!(
                "error.swap_lost",
                out = out.display(),
                previous = previous.display()
            ),
        }
    }
}

/// The verb of a failed file operation, as a message.
fn action_msg(action: &str) -> crate::messages::Msg {
    match action {
        "read" => crate::msg!("action.read"),
        "write" => crate::msg!("action.write"),
        "create" => crate::msg!("action.create"),
        "create folder" => crate::msg!("action.create_folder"),
        "copy" => crate::msg!("action.copy"),
        "move" => crate::msg!("action.move"),
        "remove" => crate::msg!("action.remove"),
        "list" | "walk" => crate::msg!("action.list"),
        _ => crate::msg!("action.open"),
    }
}

/// Why a library's operation failed, in our words: the system's reason when an I/O error is
/// behind it, else a plain "it failed" (the library's own text is not for a clerk).
pub fn cause_of(e: &(dyn std::error::Error + 'static)) -> crate::messages::Msg {
    let mut next = Some(e);
    while let Some(err) = next {
        if let Some(io) = err.downcast_ref::<io::Error>() {
            return io_cause(io);
        }
        next = err.source();
    }
    crate::msg!("io.other")
}

/// Why a file operation failed, in words a clerk can act on.
pub fn io_cause(e: &io::Error) -> crate::messages::Msg {
    use io::ErrorKind as K;
    match e.kind() {
        K::NotFound => crate::msg!("io.not_found"),
        K::PermissionDenied => crate::msg!("io.permission"),
        K::AlreadyExists => crate::msg!("io.exists"),
        K::IsADirectory => crate::msg!("io.is_folder"),
        K::NotADirectory => crate::msg!("io.not_folder"),
        K::StorageFull => crate::msg!("io.full"),
        K::ReadOnlyFilesystem => crate::msg!("io.read_only"),
        K::DirectoryNotEmpty => crate::msg!("io.not_empty"),
        K::InvalidData => crate::msg!("io.invalid_data"),
        K::FileTooLarge => crate::msg!("io.too_large"),
        K::ResourceBusy | K::ExecutableFileBusy => crate::msg!("io.busy"),
        K::InvalidFilename => crate::msg!("io.bad_name"),
        K::AddrInUse => crate::msg!("io.address_in_use"),
        K::AddrNotAvailable => crate::msg!("io.address_not_here"),
        K::CrossesDevices => crate::msg!("io.crosses_devices"),
        K::TimedOut | K::Interrupted | K::WouldBlock => crate::msg!("io.interrupted"),
        // The system's own words are English and technical: the error number is what IT needs.
        _ => match e.raw_os_error() {
            Some(code) => crate::msg!("io.other_code", code = code),
            None => crate::msg!("io.other"),
        },
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
