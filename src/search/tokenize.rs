//! The tokenizer, written once here and once in `search.js` (the tests check they agree):
//! CJK runs become overlapping bigrams plus single characters, Latin words and digit runs
//! become lower-cased words, full-width forms fold to half-width, everything else separates.

/// Words longer than this keep only their first `MAX_WORD` characters (same in the script).
pub const MAX_WORD: usize = 32;
/// A query uses at most this many distinct tokens (the first ones), so it loads few shards.
pub const MAX_QUERY_TOKENS: usize = 10;

/// What a character is to the tokenizer.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Class {
    /// Han, kana, hangul: indexed as single characters and bigrams.
    Cjk,
    /// ASCII letters and digits, Latin letters with diacritics, Greek, Cyrillic.
    Word,
    /// Anything else: spaces, punctuation, symbols.
    Sep,
}

/// Folds full-width ASCII forms (U+FF01–FF5E) to ASCII, the ideographic space to a space, and
/// ASCII capitals to lower case. One character in, one character out (the script relies on it).
pub fn fold(c: char) -> char {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    };
    c.to_ascii_lowercase()
}

/// The class of an already folded character; the same tables as `WORD` and `CJK` in
/// `search.js`.
pub fn class(c: char) -> Class {
    let u = c as u32;
    if matches!(u, 0x30..=0x39 | 0x61..=0x7A | 0xC0..=0x24F | 0x370..=0x4FF) {
        return Class::Word;
    }
    let cjk = matches!(
        u,
        0x3005..=0x3007
            | 0x3040..=0x30FA
            | 0x30FC..=0x30FF
            | 0x3130..=0x318F
            | 0x31F0..=0x31FF
            | 0x3400..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xF900..=0xFAFF
            | 0xAC00..=0xD7AF
            | 0x1100..=0x11FF
            | 0x20000..=0x3FFFF
    );
    if cjk { Class::Cjk } else { Class::Sep }
}

/// [`fold`] and [`class`] together, with the common cases (CJK ideographs, ASCII) first.
#[inline]
pub fn fold_class(c: char) -> (char, Class) {
    if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
        return (c, Class::Cjk);
    }
    let c = fold(c);
    (c, class(c))
}

/// A run of characters of one class, as the scanner hands it over.
pub enum Run<'a> {
    /// A CJK run of one or more characters.
    Cjk(&'a [char]),
    /// A word, folded, at most [`MAX_WORD`] characters.
    Word(&'a str),
}

/// Splits `text` into runs, reusing two buffers (no allocation per run).
pub fn scan(text: &str, mut on_run: impl FnMut(Run<'_>)) {
    let mut cjk: Vec<char> = Vec::new();
    let mut word = String::new();
    let mut word_len = 0;
    for c in text.chars().map(fold) {
        let class = class(c);
        if class != Class::Cjk && !cjk.is_empty() {
            on_run(Run::Cjk(&cjk));
            cjk.clear();
        }
        if class != Class::Word && word_len > 0 {
            on_run(Run::Word(&word));
            word.clear();
            word_len = 0;
        }
        match class {
            Class::Cjk => cjk.push(c),
            Class::Word => {
                if word_len < MAX_WORD {
                    word.push(c);
                }
                word_len += 1;
            }
            Class::Sep => {}
        }
    }
    if !cjk.is_empty() {
        on_run(Run::Cjk(&cjk));
    }
    if word_len > 0 {
        on_run(Run::Word(&word));
    }
}

/// Every term the index holds for `text`: each CJK character, each CJK bigram, each word.
/// Repeats are kept (they are term frequencies). Used by tests; the index uses [`scan`].
pub fn index_terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    scan(text, |run| match run {
        Run::Cjk(chars) => {
            for (i, c) in chars.iter().enumerate() {
                out.push(c.to_string());
                if let Some(next) = chars.get(i + 1) {
                    out.push([*c, *next].iter().collect());
                }
            }
        }
        Run::Word(w) => out.push(w.to_owned()),
    });
    out
}

/// The tokens a query looks up: a one-character CJK run as itself, a longer run as its
/// bigrams, words as they are; distinct, in order, at most [`MAX_QUERY_TOKENS`].
pub fn query_tokens(query: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |t: String| {
        if out.len() < MAX_QUERY_TOKENS && !out.contains(&t) {
            out.push(t);
        }
    };
    scan(query, |run| match run {
        Run::Cjk([one]) => push(one.to_string()),
        Run::Cjk(chars) => {
            for pair in chars.windows(2) {
                push(pair.iter().collect());
            }
        }
        Run::Word(w) => push(w.to_owned()),
    });
    out
}

/// The query as a phrase to look for in titles and text: folded, runs of spaces and control
/// characters (up to U+0020) made one space, trimmed.
pub fn phrase(query: &str) -> String {
    let folded: String = query.chars().map(fold).collect();
    let words: Vec<&str> = folded
        .split(|c| c <= ' ')
        .filter(|w| !w.is_empty())
        .collect();
    words.join(" ")
}

/// Folds a whole text (for phrase and snippet matching); same length in UTF-16 units.
pub fn fold_text(text: &str) -> String {
    text.chars().map(fold).collect()
}

/// The hash that picks a term's shard, over UTF-16 code units (so the script computes the same):
/// `h = h * 31 + unit` from 5381, then an xorshift to spread the bits.
pub fn hash_units(units: impl IntoIterator<Item = u16>) -> u32 {
    let h = units.into_iter().fold(5381u32, |h, u| {
        h.wrapping_mul(31).wrapping_add(u32::from(u))
    });
    finish(h)
}

fn finish(mut h: u32) -> u32 {
    h ^= h << 13;
    h ^= h >> 17;
    h ^= h << 5;
    h
}

/// [`hash_units`] of one code unit.
#[inline]
pub fn hash1(a: u16) -> u32 {
    finish(5381u32.wrapping_mul(31).wrapping_add(u32::from(a)))
}

/// [`hash_units`] of two code units.
#[inline]
pub fn hash2(a: u16, b: u16) -> u32 {
    let h = 5381u32.wrapping_mul(31).wrapping_add(u32::from(a));
    finish(h.wrapping_mul(31).wrapping_add(u32::from(b)))
}

/// [`hash_units`] of a string.
pub fn hash(term: &str) -> u32 {
    hash_units(term.encode_utf16())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table the browser test checks `search.js` against as well (tests/it/search.rs).
    pub const QUERY_TABLE: &[(&str, &[&str])] = &[
        ("红包", &["红包"]),
        ("一段简单", &["一段", "段简", "简单"]),
        ("廉", &["廉"]),
        ("DRG付费", &["drg", "付费"]),
        ("青一医〔2024〕12号", &["青一", "一医", "2024", "12", "号"]),
        ("０００0-８１２３４５６７", &["0000", "81234567"]),
        ("ＤＲＧ　改革", &["drg", "改革"]),
        ("  ，。！ ", &[]),
        ("红包 红包", &["红包"]),
        (
            "ひらがなカタカナ",
            &["ひら", "らが", "がな", "なカ", "カタ", "タカ", "カナ"],
        ),
        ("한국어", &["한국", "국어"]),
        ("Café crème", &["café", "crème"]),
        ("𠀀𠀁", &["𠀀𠀁"]),
    ];

    #[test]
    fn query_tokens_follow_the_table() {
        for (q, want) in QUERY_TABLE {
            assert_eq!(query_tokens(q), *want, "{q}");
        }
    }

    #[test]
    fn a_query_is_capped_at_ten_tokens() {
        let q = "一二三四五六七八九十百千万亿";
        assert_eq!(query_tokens(q).len(), MAX_QUERY_TOKENS);
    }

    #[test]
    fn index_holds_characters_and_bigrams() {
        assert_eq!(
            index_terms("一段简单"),
            ["一", "一段", "段", "段简", "简", "简单", "单"]
        );
        assert_eq!(
            index_terms("电话0000-81234567"),
            ["电", "电话", "话", "0000", "81234567"]
        );
    }

    #[test]
    fn any_cjk_substring_of_a_text_is_found_by_its_query_tokens() {
        let text = "共建和谐关系，不收受患方“红包”。严禁以任何名义收受回扣";
        let terms = index_terms(text);
        let chars: Vec<char> = text.chars().collect();
        for i in 0..chars.len() {
            for j in i + 1..=chars.len() {
                let sub: String = chars[i..j].iter().collect();
                for t in query_tokens(&sub) {
                    assert!(terms.contains(&t), "{sub}: {t}");
                }
            }
        }
    }

    #[test]
    fn long_words_are_cut_the_same_way_on_both_sides() {
        let long = "a".repeat(50);
        assert_eq!(query_tokens(&long), [&long[..MAX_WORD]]);
        assert_eq!(index_terms(&long), [&long[..MAX_WORD]]);
    }

    #[test]
    fn folding_keeps_one_character_per_character() {
        assert_eq!(fold_text("ＡＢ１２　（）"), "ab12 ()");
        assert_eq!(phrase("  九项 \t 准则　"), "九项 准则");
    }

    #[test]
    fn hash_is_stable() {
        // The same values are asserted in the browser against search.js.
        assert_eq!(hash(""), finish(5381));
        assert_eq!(hash("红包"), hash_units([0x7EA2, 0x5305]));
        assert_ne!(hash("红包"), hash("包红"));
        assert_eq!(hash("红包"), hash2(0x7EA2, 0x5305));
        assert_eq!(hash("红"), hash1(0x7EA2));
    }

    #[test]
    fn odd_input_does_not_panic() {
        for s in ["\u{0}", "\u{FFFF}", "\u{10FFFF}", "＀", "｟", "\u{FEFF}a"] {
            let _ = query_tokens(s);
            let _ = index_terms(s);
        }
    }
}
