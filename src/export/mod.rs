//! Exports for other systems: question banks in the formats exam systems import, and study
//! modules as SCORM packages for learning platforms.

pub mod bank;
pub mod scorm;
