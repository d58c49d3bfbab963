//! The commands, one module each; the stages they share are in [`crate::pipeline`].

pub mod build;
pub mod check;
pub mod init;
pub mod new;
pub mod quiz;
pub mod quiz_export;

/// How a command that checks content ended (I/O and usage failures are `Err`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything is fine (warnings may have been printed).
    Clean,
    /// Content mistakes were reported: exit code 1.
    ContentErrors,
}
