//! The commands, one module each; the stages they share are in [`crate::pipeline`].

pub mod build;
pub mod check;
pub mod export;
pub mod find_bank;
pub mod init;
pub mod new;
pub mod quiz;
pub mod quiz_export;
pub mod quiz_sheet;
pub mod quiz_xlsx;
pub mod serve;
pub mod units;
pub mod wechat;

/// The site folder: `start` or the nearest folder above it holding `content/site.yaml`, so
/// commands work from inside `content/` and its subfolders.
pub fn site_root(start: &std::path::Path) -> crate::error::Result<std::path::PathBuf> {
    let start = crate::fsio::absolute(start)?;
    start
        .ancestors()
        .find(|dir| dir.join("content").join("site.yaml").is_file())
        .map(std::path::Path::to_path_buf)
        .ok_or_else(|| {
            crate::error::Error::usage(crate::msg!("usage.not_in_site", dir = start.display()))
        })
}

/// How a command that checks content ended (I/O and usage failures are `Err`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything is fine (warnings may have been printed).
    Clean,
    /// Content mistakes were reported: exit code 1.
    ContentErrors,
}
