//! Unmasked names: a case's `subject` written as a full Chinese name (张三) where a masked one
//! (张某) is expected.

use super::{Finding, FindingKind};

/// Checks a case's `subject` (the person): returns a finding (line 1, column of the name)
/// when it is a full Chinese name instead of a masked one.
pub fn check_subject(subject: &str) -> Option<Finding> {
    let name = subject.trim();
    if name.contains('某') {
        return None;
    }
    let len = name.chars().count();
    let all_han = name.chars().all(is_han);
    if !(2..=4).contains(&len) || !all_han {
        return None;
    }
    Some(Finding {
        kind: FindingKind::UnmaskedName,
        line: 1,
        column: 1,
        len,
        text: name.to_owned(),
    })
}

/// CJK Unified Ideographs, the block that holds common Chinese names.
fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::privacy::{Finding, FindingKind};

    #[test]
    fn masked_subjects_are_fine() {
        for subject in ["王某", "欧阳某", "王某某", "李某（主任医师）", " 王某 "]
        {
            assert_eq!(check_subject(subject), None, "{subject}");
        }
    }

    #[test]
    fn full_names_are_flagged() {
        let finding = check_subject(" 张三 ").expect("flagged");
        assert_eq!(
            finding,
            Finding {
                kind: FindingKind::UnmaskedName,
                line: 1,
                column: 1,
                len: 2,
                text: "张三".into(),
            }
        );
        assert_eq!(check_subject("欧阳娜娜").map(|f| f.len), Some(4));
    }

    #[test]
    fn other_subjects_are_not_names() {
        for subject in [
            "",
            "   ",
            "张",
            "某科室医生",
            "心血管内科副主任医师",
            "Zhang San",
            "张3",
            "张三（医生）",
        ] {
            assert_eq!(check_subject(subject), None, "{subject}");
        }
    }
}
