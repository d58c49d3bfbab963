//! Festival reminders (`content/reminders/`, 节日廉洁提醒): a short text shown as a banner on
//! every page while the build's today lies between `from` and `until`.

use super::front::{Fields, FrontMatter, Meta};
use crate::diag::Diagnostic;
use crate::source::SourceFile;
use crate::types::Date;

/// A reminder longer than this many days is almost always a typo in a year.
pub const MAX_DAYS: i32 = 92;

crate::front_matter! {
    /// A reminder (廉洁提醒).
    Reminder {
        /// The first day the banner shows.
        from: Date,
        /// The last day the banner shows.
        until: Date,
    }
}

impl FrontMatter for Reminder {
    const KEYS: &'static [&'static str] = &["from", "until"];
    fn from_fields(f: &mut Fields) -> Option<Self> {
        Reminder::read_fields(f)
    }
    fn check(&self, file: &SourceFile, _meta: &Meta) -> Vec<Diagnostic> {
        if self.until < self.from {
            let d = file.key_error(
                "until",
                crate::msg!("reminder.backwards", from = self.from, until = self.until),
            );
            return vec![d.with_hint(crate::msg!("reminder.backwards.hint"))];
        }
        if self.from.days_until(self.until) > MAX_DAYS {
            let d = file.key_warning(
                "until",
                crate::msg!("reminder.long", days = self.from.days_until(self.until) + 1),
            );
            return vec![d.with_hint(crate::msg!("reminder.long.hint"))];
        }
        Vec::new()
    }
}

/// Where a reminder stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Upcoming,
    Current,
    Past,
}

impl When {
    pub fn token(self) -> &'static str {
        match self {
            When::Upcoming => "upcoming",
            When::Current => "current",
            When::Past => "past",
        }
    }
}

impl Reminder {
    pub fn when(&self, today: Date) -> When {
        if today < self.from {
            When::Upcoming
        } else if today > self.until {
            When::Past
        } else {
            When::Current
        }
    }
}

impl super::KindDef for Reminder {
    /// Newest first by the day it starts.
    fn compare(a: (&Meta, &Self), b: (&Meta, &Self)) -> std::cmp::Ordering {
        b.1.from.cmp(&a.1.from)
    }
    /// Current, coming or past: by its days.
    fn grouping(&self) -> String {
        format!("{}{}", self.from, self.until)
    }
    const DRAFT: Option<(&'static str, &'static str)> =
        Some(("example-reminder", "示例：中秋国庆廉洁提醒"));
    const SHARED: bool = true;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::testutil::{only, parse_text};

    #[test]
    fn reminder_knows_its_days() {
        let (p, d) = parse_text(
            "reminders/2025-mid-autumn.md",
            "---\ntitle: 中秋国庆廉洁提醒\nfrom: 2025-09-25\nuntil: 2025-10-08\n---\n不收月饼。",
        );
        assert!(d.is_empty(), "{d:?}");
        let r = only::<Reminder>(&p);
        let day = |s| Date::parse(s).unwrap();
        assert_eq!(r.when(day("2025-09-24")), When::Upcoming);
        assert_eq!(r.when(day("2025-09-25")), When::Current);
        assert_eq!(r.when(day("2025-10-08")), When::Current);
        assert_eq!(r.when(day("2025-10-09")), When::Past);
    }

    #[test]
    fn dates_are_required_and_in_order() {
        let (_, d) = parse_text(
            "reminders/a.md",
            "---\ntitle: 提醒\nfrom: 2025-09-25\n---\n",
        );
        assert_eq!(d[0].message, "missing required key `until`");
        let (_, d) = parse_text(
            "reminders/a.md",
            "---\ntitle: 提醒\nfrom: 2025-09-25\nuntil: 2025-09-01\n---\n",
        );
        assert_eq!(d[0].line, 4, "{d:?}");
        let (_, d) = parse_text(
            "reminders/a.md",
            "---\ntitle: 提醒\nfrom: 2025-09-25\nuntil: 2026-09-01\n---\n",
        );
        assert_eq!(d[0].severity, crate::diag::Severity::Warning, "{d:?}");
    }
}
