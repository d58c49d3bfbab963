//! Exports for other systems: question banks in the formats exam systems import, study
//! modules as SCORM packages for learning platforms, and articles for the WeChat official
//! account.

pub mod bank;
pub mod scorm;
pub mod wechat;
