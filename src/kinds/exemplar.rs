//! Role models (`content/exemplars/`, 先进典型): a person or a team whose conduct the
//! hospital holds up — a doctor who refused and handed in a red envelope, a buyer who
//! reported a kickback offer — with their department, what they did, when, the principles
//! it honours and an optional photo.

use super::front::{Fields, FrontMatter, Meta};
use crate::diag::Diagnostic;
use crate::source::SourceFile;

crate::front_matter! {
    /// A role model (先进典型).
    Exemplar {
        /// Who: 张某某, 心内科护理团队.
        who: String,
        /// Whether `who` is a team rather than one person.
        team: bool = false,
        /// 科室: the department or unit.
        department: String,
        /// What they did, in one line for lists: 拒收并上交患者红包 3 次.
        deed: String,
        /// The honour given, if any: 2025 年度院级廉洁从业标兵.
        honour: Option<String>,
        /// The principle numbers the deed honours.
        principles: Vec<u8> = Vec::new(),
        /// A photo under `content/` (`exemplars/2025/zhang.jpg`).
        photo: Option<String>,
        /// What the photo shows, for readers who cannot see it.
        photo_alt: Option<String>,
    }
}

impl FrontMatter for Exemplar {
    const KEYS: &'static [&'static str] = &[
        "who",
        "team",
        "department",
        "deed",
        "honour",
        "principles",
        "photo",
        "photo_alt",
    ];
    fn from_fields(f: &mut Fields) -> Option<Self> {
        Exemplar::read_fields(f)
    }
    fn check(&self, file: &SourceFile, meta: &Meta) -> Vec<Diagnostic> {
        let hint = crate::msg!("exemplar.date.hint");
        let mut diags = Vec::from_iter(super::front::require_date(file, meta, hint));
        for (key, value) in [
            ("who", &self.who),
            ("department", &self.department),
            ("deed", &self.deed),
        ] {
            if value.trim().is_empty() {
                let m = crate::msg!("exemplar.blank", key = key);
                let d = file.key_error(key, m);
                diags.push(d.with_hint(crate::msg!("exemplar.blank.hint", key = key)));
            }
        }
        let no_alt = (self.photo_alt.as_deref()).is_none_or(|a| a.trim().is_empty());
        if self.photo.is_some() && no_alt {
            let d = file.key_warning("photo", crate::msg!("exemplar.photo_alt"));
            diags.push(d.with_hint(crate::msg!("exemplar.photo_alt.hint")));
        }
        diags
    }
}

impl Exemplar {
    /// The photo's path under `content/` (`@/` and a leading `/` are allowed and dropped).
    pub fn photo_rel(&self) -> Option<&str> {
        let p = self.photo.as_deref()?.trim();
        Some(p.trim_start_matches("@/").trim_start_matches('/'))
    }
}

impl super::KindDef for Exemplar {
    /// Newest first.
    fn compare(a: (&Meta, &Self), b: (&Meta, &Self)) -> std::cmp::Ordering {
        b.0.date.cmp(&a.0.date)
    }
    const PAGED: bool = true;
    /// Beside the warning cases: the example to follow after the one to avoid.
    const MENU: Option<u8> = Some(4);
    const FEED: bool = true;
    fn principles(&self) -> std::borrow::Cow<'_, [u8]> {
        std::borrow::Cow::Borrowed(&self.principles)
    }
    fn attachments(&self) -> Vec<(&'static str, &str)> {
        self.photo_rel().map(|p| ("photo", p)).into_iter().collect()
    }
    fn references(&self, r: &mut dyn super::References) {
        r.principles("principles", &self.principles);
        if let Some(photo) = &self.photo {
            r.attachment("photo", photo, crate::msg!("exemplar.photo.hint"));
        }
    }
    const DRAFT: Option<(&'static str, &'static str)> =
        Some(("example-exemplar", "示例：拒收红包的好医生"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::testutil::{only, parse_text};

    #[test]
    fn a_role_model_parses_with_its_deed_department_and_principles() {
        let (p, d) = parse_text(
            "exemplars/2025/zhang.md",
            "---\ntitle: 拒收红包的张医生\ndate: 2025-03-02\nwho: 张某某\ndepartment: 心内科\ndeed: 拒收并上交患者红包 3 次\nhonour: 院级廉洁标兵\nprinciples: [8]\nphoto: '@/exemplars/2025/zhang.jpg'\nphoto_alt: 张医生在病房\n---\n事迹。\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let e: &Exemplar = only(&p);
        assert_eq!((e.who.as_str(), e.team), ("张某某", false));
        assert_eq!(e.department, "心内科");
        assert_eq!(e.principles, [8]);
        assert_eq!(e.photo_rel(), Some("exemplars/2025/zhang.jpg"));
        use super::super::KindDef;
        assert_eq!(e.attachments(), [("photo", "exemplars/2025/zhang.jpg")]);
    }

    #[test]
    fn blank_facts_a_missing_date_and_a_photo_without_words_are_reported_where_written() {
        let (_, d) = parse_text(
            "exemplars/x.md",
            "---\ntitle: 典型\nwho: 张某某\ndepartment: ' '\ndeed: 拒收红包\nphoto: x.jpg\n---\n",
        );
        let found: Vec<(usize, &str)> = d.iter().map(|d| (d.line, d.message.key())).collect();
        assert!(found.contains(&(1, "front.missing_key")), "{found:?}");
        assert!(found.contains(&(4, "exemplar.blank")), "{found:?}");
        assert!(found.contains(&(6, "exemplar.photo_alt")), "{found:?}");
        let (_, d) = parse_text("exemplars/y.md", "---\ntitle: 典型\ndate: 2025-01-01\n---\n");
        let missing: Vec<String> = d.iter().map(|d| d.message.to_string()).collect();
        for key in ["who", "department", "deed"] {
            assert!(missing.iter().any(|m| m.contains(key)), "{key}: {missing:?}");
        }
    }
}
