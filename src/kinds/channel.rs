//! Reporting channels (`content/channels/`): how to report, when, and whether anonymously.

use super::Item;
use super::front::{Fields, FrontMatter, Meta};
use crate::diag::Diagnostic;
use crate::source::SourceFile;
use crate::types::Date;

crate::labeled_enum! {
    /// How a channel is reached.
    ChannelKind {
        Phone = "phone" | "电话" | "举报电话" | "热线" | "座机",
        Sms = "sms" | "短信" | "手机短信",
        Email = "email" | "电子邮件" | "邮箱" | "电子邮箱" | "举报邮箱" | "e-mail",
        Mail = "mail" | "信件" | "来信" | "信箱" | "举报信箱",
        Box = "box" | "意见箱" | "举报箱",
        Web = "web" | "网站" | "网址" | "网上举报",
        Wechat = "wechat" | "微信" | "公众号" | "微信公众号",
        Visit = "visit" | "来访" | "当面" | "接待",
    }
}

crate::front_matter! {
    /// A reporting channel (举报渠道).
    Channel {
        kind: ChannelKind,
        /// The number, address, URL or place.
        value: String,
        hours: Option<String>,
        scope: Option<String>,
        anonymous: Option<bool>,
        owner: Option<String>,
        valid_from: Option<Date>,
        valid_until: Option<Date>,
        verified: Option<Date>,
        location: Option<String>,
        poster: Option<bool>,
        qr_image: Option<String>,
    }
}

impl Channel {
    /// The link that opens the channel on a tap: `tel:`, `sms:`, `mailto:` or the web address.
    pub fn href(&self) -> Option<String> {
        let v = self.value.trim();
        let dial: String = v
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect();
        match self.kind {
            ChannelKind::Phone if !dial.is_empty() => Some(format!("tel:{dial}")),
            ChannelKind::Sms if !dial.is_empty() => Some(format!("sms:{dial}")),
            ChannelKind::Email => Some(format!("mailto:{v}")),
            ChannelKind::Web if v.starts_with("https://") || v.starts_with("http://") => {
                Some(v.to_owned())
            }
            _ => None,
        }
    }

    /// Whether the channel is in service on `today`.
    pub fn active_on(&self, today: Date) -> bool {
        self.valid_from.is_none_or(|d| d <= today) && self.valid_until.is_none_or(|d| today <= d)
    }

    /// Where the channel's poster hangs: its `location`, trimmed, when it names a place.
    pub fn place(&self) -> Option<&str> {
        self.location.as_deref().map(str::trim).filter(|l| !l.is_empty())
    }

    /// Whether the channel is on the poster of `location`: it hangs there, or has no place
    /// of its own (a hospital-wide channel is on every location's poster).
    pub fn on_location_poster(&self, location: &str) -> bool {
        self.place().is_none_or(|l| l == location)
    }

    /// Whether the channel is on the posters on `today`: in service and not `poster: false`.
    pub fn on_poster(&self, today: Date) -> bool {
        self.active_on(today) && self.poster != Some(false)
    }
}

impl FrontMatter for Channel {
    const KEYS: &'static [&'static str] = &[
        "kind",
        "value",
        "hours",
        "scope",
        "anonymous",
        "owner",
        "valid_from",
        "valid_until",
        "verified",
        "location",
        "poster",
        "qr_image",
    ];
    fn from_fields(f: &mut Fields) -> Option<Self> {
        Channel::read_fields(f)
    }
    fn check(&self, file: &SourceFile, _meta: &Meta) -> Vec<Diagnostic> {
        check(file, self)
    }
}

fn check(item: &SourceFile, c: &Channel) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    if c.value.trim().is_empty() {
        diags.push(
            item.key_error("value", crate::msg!("channel.empty"))
                .with_hint(crate::msg!("channel.empty.hint")),
        );
    }
    match c.kind {
        ChannelKind::Email if !c.value.contains('@') => {
            diags.push(item.key_error("value", crate::msg!("channel.not_email", value = &c.value)));
        }
        ChannelKind::Web if c.href().is_none() => {
            diags.push(
                item.key_error("value", crate::msg!("channel.not_web", value = &c.value))
                    .with_hint(crate::msg!("channel.not_web.hint")),
            );
        }
        ChannelKind::Phone | ChannelKind::Sms if c.href().is_none() => {
            diags.push(item.key_error("value", crate::msg!("channel.no_digits", value = &c.value)));
        }
        _ => {}
    }
    if let (Some(from), Some(until)) = (c.valid_from, c.valid_until)
        && until < from
    {
        diags.push(item.key_error(
            "valid_until",
            crate::msg!("channel.until_before_from", until = until, from = from),
        ));
    }
    diags
}

/// A channel not checked for this many days draws a warning.
pub const VERIFY_EVERY_DAYS: i32 = 180;

/// Warnings that depend on the day: a channel past `valid_until`, or not verified lately.
pub fn warnings(item: &Item, c: &Channel, today: Date) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    if let Some(until) = c.valid_until.filter(|u| *u < today) {
        diags.push(
            item.key_warning("valid_until", crate::msg!("channel.expired", until = until))
                .with_hint(crate::msg!("channel.expired.hint")),
        );
        return diags;
    }
    match c.verified {
        None => diags.push(
            item.key_warning("kind", crate::msg!("channel.never_verified"))
                .with_hint(crate::msg!("channel.never_verified.hint", today = today)),
        ),
        Some(v) if v.days_until(today) > VERIFY_EVERY_DAYS => diags.push(
            item.key_warning(
                "verified",
                crate::msg!("channel.stale", date = v, days = VERIFY_EVERY_DAYS),
            )
            .with_hint(crate::msg!("channel.stale.hint", today = today)),
        ),
        Some(_) => {}
    }
    diags
}

impl super::KindDef for Channel {
    /// Grouped by how they are reached.
    fn compare(a: (&Meta, &Self), b: (&Meta, &Self)) -> std::cmp::Ordering {
        a.1.kind.cmp(&b.1.kind)
    }
    /// Where it hangs, whether it is on the posters, and when it is in service.
    fn grouping(&self) -> String {
        format!(
            "{:?}{:?}{:?}{:?}",
            self.location, self.poster, self.valid_from, self.valid_until
        )
    }
    fn attachments(&self) -> Vec<(&'static str, &str)> {
        let qr = self.qr_image.as_deref();
        let qr = qr.map(|q| q.trim().trim_start_matches("@/"));
        qr.map(|q| ("qr_image", q)).into_iter().collect()
    }
    fn references(&self, r: &mut dyn super::References) {
        if let Some(image) = &self.qr_image {
            r.attachment("qr_image", image, crate::msg!("ref.qr.hint"));
        }
    }
    const DRAFT: Option<(&'static str, &'static str)> = Some(("hotline", "示例：纪检监察举报电话"));
    /// The report page lists the channels, and is there even before one is published.
    const LIST_AT: Option<&'static str> = Some("report");
    const ALWAYS_LISTED: bool = true;
    fn from_title(text: String, title: &str) -> String {
        of_title(text, title)
    }
    const SHARED: bool = true;
}

/// A channel archetype with the kind its title names (`纪检监察举报邮箱` is e-mail) and a
/// value of that kind to replace.
fn of_title(text: String, title: &str) -> String {
    use ChannelKind as K;
    let words: &[(&[&str], K, &str)] = &[
        (
            &["邮箱", "邮件", "email", "e-mail"],
            K::Email,
            "jubao@hospital.invalid",
        ),
        (&["短信"], K::Sms, "10000000000"),
        (&["意见箱", "举报箱"], K::Box, "（待填写：意见箱的位置）"),
        (
            &["信箱", "来信", "信件"],
            K::Mail,
            "（待填写：收信地址和收信人）",
        ),
        (
            &["网站", "网址", "网上", "平台"],
            K::Web,
            "https://hospital.invalid/jubao/",
        ),
        (&["微信", "公众号"], K::Wechat, "（待填写：公众号名称）"),
        (&["来访", "接待", "当面"], K::Visit, "（待填写：接待地点）"),
    ];
    let lower = title.to_lowercase();
    let Some((_, kind, value)) = words
        .iter()
        .find(|(w, ..)| w.iter().any(|w| lower.contains(w)))
    else {
        return text;
    };
    text.lines()
        .map(|line| match line.split_once(':') {
            Some(("kind", _)) => format!("kind: {}", kind.token()),
            Some(("value", rest)) => {
                let comment = rest.find('#').map_or("", |i| &rest[i..]);
                format!("value: {value}  {comment}").trim_end().to_owned()
            }
            _ => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::testutil::{only, parse_text};

    fn item(p: &crate::kinds::Parsed) -> &Item {
        p.items.values().next().unwrap()
    }

    #[test]
    fn phone_channel_dials() {
        let (p, d) = parse_text(
            "channels/hotline.md",
            "---\ntitle: 举报电话\nkind: 电话\nvalue: 0000-8123 4567\nanonymous: true\n---\n",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(
            only::<Channel>(&p).href().as_deref(),
            Some("tel:000081234567")
        );
    }

    #[test]
    fn kind_and_value_are_checked() {
        let (_, d) = parse_text("channels/a.md", "---\ntitle: x\nkind: fax\nvalue: 1\n---\n");
        assert_eq!(d[0].line, 3);
        let (_, d) = parse_text(
            "channels/a.md",
            "---\ntitle: x\nkind: web\nvalue: javascript:alert(1)\n---\n",
        );
        assert_eq!(d[0].line, 4);
    }

    #[test]
    fn expiry_and_verification_warnings() {
        let day = |s: &str| Date::parse(s).unwrap();
        let (p, _) = parse_text(
            "channels/a.md",
            "---\ntitle: x\nkind: box\nvalue: 门诊一楼\nvalid_until: 2025-12-31\nverified: 2025-01-01\n---\n",
        );
        let d = warnings(item(&p), only::<Channel>(&p), day("2026-01-05"));
        assert_eq!((d.len(), d[0].line), (1, 5));
        assert!(d[0].message.contains("expired on 2025-12-31"));
        let (p, _) = parse_text(
            "channels/b.md",
            "---\ntitle: x\nkind: box\nvalue: 门诊一楼\nverified: 2025-01-01\n---\n",
        );
        assert!(
            warnings(item(&p), only::<Channel>(&p), day("2025-06-30")).is_empty(),
            "180 days is fine"
        );
        let d = warnings(item(&p), only::<Channel>(&p), day("2025-07-01"));
        assert_eq!(d[0].line, 5);
        let (p, _) = parse_text(
            "channels/c.md",
            "---\ntitle: x\nkind: box\nvalue: 门诊一楼\n---\n",
        );
        assert!(
            warnings(item(&p), only::<Channel>(&p), day("2025-07-01"))[0]
                .message
                .contains("never been verified")
        );
    }

    #[test]
    fn validity_window() {
        let (p, _) = parse_text(
            "channels/a.md",
            "---\ntitle: x\nkind: box\nvalue: 门诊一楼\nvalid_until: 2025-12-31\n---\n",
        );
        let c = only::<Channel>(&p);
        assert!(c.active_on(Date::parse("2025-12-31").unwrap()));
        assert!(!c.active_on(Date::parse("2026-01-01").unwrap()));
    }
}
