//! Small value types shared by every stage: dates, audiences, and enumerations that accept an
//! English token or a Chinese label.

use serde::{Serialize, Serializer};

/// An item's id: its path under `content/` without `.md` (`cases/2024/red-envelope`).
pub type Id = String;

/// The hasher of the maps keyed by ids and paths: aHash, keyed at random in each run as std's
/// SipHash is (so crafted file names cannot make a build slow), and several times faster on
/// keys this short; a save in `serve` looks up a million of them.
pub type Hasher = ahash::RandomState;
pub type HashMap<K, V> = std::collections::HashMap<K, V, Hasher>;
pub type HashSet<T> = std::collections::HashSet<T, Hasher>;
pub type IndexMap<K, V> = indexmap::IndexMap<K, V, Hasher>;

/// At most this many items (files, pages, outputs) go to one parallel task. Rayon splits a
/// list only when a thread comes to steal, so without a bound the last few thousand pages of a
/// large site can end up in one task on one core while the other has nothing left to take.
pub const ITEMS_PER_TASK: usize = 32;

/// A calendar date written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub jiff::civil::Date);

/// Why a text is not a date, in terms a clerk can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateProblem {
    /// Not `YYYY-MM-DD` at all.
    Shape,
    /// The month is not 1–12.
    Month(u32),
    /// The month has no such day (`2025-02-30`).
    Day { month: u32, day: u32 },
}

impl Date {
    pub fn parse(s: &str) -> Option<Date> {
        Date::parse_explained(s).ok()
    }

    /// Parses `YYYY-MM-DD`, saying what is wrong when it is not a real date.
    pub fn parse_explained(s: &str) -> Result<Date, DateProblem> {
        let s = s.trim();
        let b = s.as_bytes();
        let shape = s.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape {
            return Err(DateProblem::Shape);
        }
        let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(0);
        let (year, month, day) = (num(0..4), num(5..7), num(8..10));
        if !(1..=12).contains(&month) {
            return Err(DateProblem::Month(month));
        }
        jiff::civil::Date::new(year as i16, month as i8, day as i8)
            .map(Date)
            .map_err(|_| DateProblem::Day { month, day })
    }

    pub fn year(self) -> i16 {
        self.0.year()
    }

    /// Whole days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i32 {
        self.0.until(later.0).map_or(0, |span| span.get_days())
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = serde_yaml::Value::deserialize(d)?;
        let text = match &raw {
            serde_yaml::Value::String(s) => s.clone(),
            other => serde_yaml::to_string(other)
                .unwrap_or_default()
                .trim()
                .to_owned(),
        };
        Date::parse_explained(&text).map_err(|p| {
            let why = match p {
                DateProblem::Shape => "dates are written YYYY-MM-DD, e.g. 2024-03-01".to_owned(),
                DateProblem::Month(m) => format!("there is no month {m}"),
                DateProblem::Day { month, day } => format!("month {month} has no day {day}"),
            };
            serde::de::Error::custom(format!("invalid date `{text}`: {why}"))
        })
    }
}

/// How near a mistyped word is to `candidate`, for "did you mean": `None` when it is not
/// near at all, else a rank (smaller is nearer). Latin words count edits; Chinese words
/// count the characters they share (`电邮` is near `电子邮件`, not `电话`).
pub fn nearness(typed: &str, candidate: &str) -> Option<(usize, usize)> {
    let typed_chars = typed.chars().count();
    if typed_chars == 0 {
        return None;
    }
    let edits = strsim::levenshtein(typed, candidate);
    if typed.is_ascii() {
        return (edits <= 2.max(candidate.len() / 3)).then_some((0, edits));
    }
    let shared = typed.chars().filter(|c| candidate.contains(*c)).count();
    (shared * 2 >= typed_chars && shared > 0).then_some((typed_chars - shared, edits))
}

/// Declares an enumeration that accepts an English token or a Chinese label, and always
/// serializes as the token (templates turn it into the theme's label).
#[macro_export]
macro_rules! labeled_enum {
    ($(#[$doc:meta])* $name:ident {
        $($variant:ident = $token:literal | $label:literal $(| $alias:literal)*),+ $(,)?
    }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn token(self) -> &'static str {
                match self { $($name::$variant => $token),+ }
            }
            /// The Chinese label.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
            pub fn parse(s: &str) -> Option<Self> {
                let s = s.trim();
                let lower = s.to_ascii_lowercase();
                match (lower.as_str(), s) {
                    $(($token, _) | (_, $label $(| $alias)*) => Some($name::$variant),)+
                    _ => None,
                }
            }
            fn expected() -> String {
                [$(concat!("`", $token, "` / `", $label, "`")),+].join(", ")
            }
            /// The token or label nearest a value that is neither, for "did you mean".
            fn nearest(s: &str) -> Option<&'static str> {
                let lower = s.trim().to_ascii_lowercase();
                [$($token, $label $(, $alias)*),+]
                    .into_iter()
                    .filter_map(|c| Some(($crate::types::nearness(&lower, c)?, c)))
                    .min()
                    .map(|(_, c)| c)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.token())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Self::parse(&s).ok_or_else(|| {
                    let near = Self::nearest(&s).map(|n| format!("; nearest `{n}`"));
                    serde::de::Error::custom(format!(
                        "unknown value `{s}`: expected one of {}{}",
                        Self::expected(),
                        near.unwrap_or_default()
                    ))
                })
            }
        }
    };
}

labeled_enum! {
    /// Who may see an item: `public` builds leave `staff` items out of everything.
    Audience { Public = "public" | "公开", Staff = "staff" | "内部" }
}

// The enum comes from `labeled_enum!`, which cannot carry `#[default]`.
#[allow(clippy::derivable_impls)]
impl Default for Audience {
    fn default() -> Self {
        Audience::Public
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_reject_loose_shapes_and_explain_impossible_days() {
        assert_eq!(Date::parse_explained("2024-3-1"), Err(DateProblem::Shape));
        assert_eq!(
            Date::parse_explained("2025-02-30"),
            Err(DateProblem::Day { month: 2, day: 30 })
        );
        assert_eq!(
            Date::parse_explained("2025-13-01"),
            Err(DateProblem::Month(13))
        );
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("+024-02-29").is_none());
    }

    #[test]
    fn enum_accepts_token_and_label() {
        assert_eq!(Audience::parse("staff"), Some(Audience::Staff));
        assert_eq!(Audience::parse("内部"), Some(Audience::Staff));
        assert_eq!(Audience::parse("员工"), None);
    }
}
