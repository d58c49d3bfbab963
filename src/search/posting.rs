//! One posting as a `u64` (`tag:2 | term:32 | doc:24 | value:6`): how the indexer packs it
//! and how the units and shard writers take it apart. A leaf: it imports nothing of the
//! index.

/// The tag of a posting's term: a CJK character, a CJK pair, or an interned word.
pub const TAG_CHAR: u64 = 1;
pub const TAG_PAIR: u64 = 2;
pub const TAG_OTHER: u64 = 3;

/// The term key of a posting (`tag << 32 | term`).
pub fn key_of(posting: u64) -> u64 {
    posting >> 30
}

/// The document of a posting.
pub fn doc_of(posting: u64) -> u32 {
    (posting >> 6) as u32 & 0xFF_FFFF
}

/// The value of a posting: bit 5 set when the term is in the title, bits 0–4 its weight.
pub fn val_of(posting: u64) -> u8 {
    (posting & 63) as u8
}

pub fn pack(key: u64, doc: u32, val: u8) -> u64 {
    key << 30 | u64::from(doc) << 6 | u64::from(val & 63)
}
