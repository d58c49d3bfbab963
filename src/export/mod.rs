//! Exports for other systems: question banks in the formats exam systems import.

pub mod bank;
