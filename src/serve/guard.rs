//! Who the preview answers: requests for the address it serves (so a page of another site
//! whose name was pointed at this computer — DNS rebinding — gets nothing), and not requests
//! a browser says come from another site, except a person following a link to a page.

use std::net::IpAddr;

use super::wire::Head;

/// The names a request may give as its `Host`, besides this computer's own addresses.
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub port: u16,
    /// The name given to `--bind` when it is a name (lower case).
    pub bind_name: Option<String>,
    /// This computer's name, when the server listens on all its addresses (lower case).
    pub hostname: Option<String>,
}

/// Why a request is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No `Host`, or more than one (400).
    NoHost,
    /// A `Host` that is not this server (421).
    OtherHost,
    /// A request the browser says another site made (403).
    OtherSite,
}

impl Refusal {
    pub fn status(self) -> u16 {
        match self {
            Refusal::NoHost => 400,
            Refusal::OtherHost => 421,
            Refusal::OtherSite => 403,
        }
    }

    /// A short plain answer, with nothing of the site.
    pub fn text(self) -> &'static str {
        match self {
            Refusal::NoHost => "bad request: no Host\n",
            Refusal::OtherHost => "this preview answers only requests for its own address\n",
            Refusal::OtherSite => "this preview does not answer requests from other websites\n",
        }
    }
}

impl Names {
    /// The names for a server on `port` bound to `bind` (as given to `--bind`).
    pub fn new(bind: &str, port: u16) -> Names {
        let ip = bind_ip(bind);
        let every = ip.is_some_and(|ip| ip.is_unspecified());
        Names {
            port,
            bind_name: ip.is_none().then(|| bind.to_ascii_lowercase()),
            hostname: every.then(this_computer).flatten(),
        }
    }

    /// Whether `host` (a `Host` header) names this server, on a connection that reached it
    /// at `local`: an address literal must be the very address reached.
    pub fn is_ours(&self, host: &str, local: IpAddr) -> bool {
        let Some((name, port)) = split_host(host) else {
            return false;
        };
        let port_ok = match port {
            None => self.port == 80,
            Some(p) => p == self.port.to_string(),
        };
        if !port_ok || name.is_empty() {
            return false;
        }
        if let Some(ip) = literal(name) {
            return ip.to_canonical() == local.to_canonical();
        }
        let name = name.to_ascii_lowercase();
        (name == "localhost" && local.to_canonical().is_loopback())
            || self.bind_name.as_deref() == Some(name.as_str())
            || self.hostname.as_deref() == Some(name.as_str())
    }
}

/// `--bind` as an address, when it is one (`::1` or `[::1]`).
pub fn bind_ip(bind: &str) -> Option<IpAddr> {
    let bare = bind
        .strip_prefix('[')
        .and_then(|b| b.strip_suffix(']'))
        .unwrap_or(bind);
    bare.parse().ok()
}

/// `name` and `port` of a `Host` value (`[::1]:1111`, `localhost:1111`, `example`).
fn split_host(host: &str) -> Option<(&str, Option<&str>)> {
    if host.starts_with('[') {
        let end = host.find(']')?;
        let rest = &host[end + 1..];
        let port = match rest {
            "" => None,
            _ => Some(rest.strip_prefix(':')?),
        };
        return Some((&host[..=end], port));
    }
    Some(match host.split_once(':') {
        Some((name, port)) => (name, Some(port)),
        None => (host, None),
    })
}

/// An address written as a URL writes it: four decimal numbers, or IPv6 in brackets.
fn literal(name: &str) -> Option<IpAddr> {
    match name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
        Some(v6) => v6.parse::<std::net::Ipv6Addr>().ok().map(IpAddr::V6),
        None => name.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4),
    }
}

/// This computer's name, lower case.
#[cfg(unix)]
fn this_computer() -> Option<String> {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is writable for its whole length, which is passed.
    let ok = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) } == 0;
    let end = buf.iter().position(|&b| b == 0)?;
    let name = std::str::from_utf8(&buf[..end]).ok()?;
    (ok && !name.is_empty()).then(|| name.to_ascii_lowercase())
}

#[cfg(not(unix))]
fn this_computer() -> Option<String> {
    let name = std::env::var("COMPUTERNAME").ok()?;
    (!name.is_empty()).then(|| name.to_ascii_lowercase())
}

/// Whether `head` may be answered, on a connection that reached this server at `local`.
pub fn check(head: &Head, names: &Names, local: IpAddr) -> Result<(), Refusal> {
    let host = head.one("host").ok_or(Refusal::NoHost)?;
    if !names.is_ours(host, local) {
        return Err(Refusal::OtherHost);
    }
    if from_elsewhere(head, host) {
        return Err(Refusal::OtherSite);
    }
    Ok(())
}

/// Whether the browser says another site made the request: an `Origin` that is not this
/// server, or `Sec-Fetch-Site` other than `same-origin` or `none` (an address typed) — but
/// a link followed from another site to a page opens it (that site can read nothing of it).
fn from_elsewhere(head: &Head, host: &str) -> bool {
    let mut origins = head.all("origin");
    let ours = format!("http://{}", host.strip_suffix(":80").unwrap_or(host));
    let origin_ok = match (origins.next(), origins.next()) {
        (None, _) => true,
        (Some(o), None) => o.eq_ignore_ascii_case(&ours),
        _ => false,
    };
    if !origin_ok {
        return true;
    }
    let mut sites = head.all("sec-fetch-site");
    match (sites.next(), sites.next()) {
        (None, _) | (Some("same-origin" | "none"), None) => false,
        (Some(_), None) => !is_page_opened(head),
        _ => true,
    }
}

/// A link followed to a page in a window or tab of its own (not a frame, not a script).
fn is_page_opened(head: &Head) -> bool {
    matches!(head.method.as_str(), "GET" | "HEAD")
        && head.one("sec-fetch-mode") == Some("navigate")
        && head.one("sec-fetch-dest") == Some("document")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local4() -> IpAddr {
        "127.0.0.1".parse().unwrap()
    }

    #[test]
    fn hosts_that_name_this_server() {
        let names = Names::new("127.0.0.1", 1111);
        for ok in ["127.0.0.1:1111", "localhost:1111", "LOCALHOST:1111"] {
            assert!(names.is_ours(ok, local4()), "{ok}");
        }
        for bad in [
            "evil.example:1111",
            "127.0.0.1",
            "127.0.0.1:1112",
            "127.0.0.1:01111",
            "127.1:1111",
            "2130706433:1111",
            "[::1]:1111",
            "localhost.:1111",
            "localhost:1111:1111",
            ":1111",
            "[::1",
        ] {
            assert!(!names.is_ours(bad, local4()), "{bad}");
        }
        let v6 = Names::new("::1", 80);
        let local6: IpAddr = "::1".parse().unwrap();
        assert!(v6.is_ours("[::1]", local6) && v6.is_ours("[::1]:80", local6));
        assert!(v6.is_ours("localhost", local6));
        let mapped: IpAddr = "::ffff:192.168.1.5".parse().unwrap();
        let every = Names::new("::", 1111);
        assert!(every.is_ours("192.168.1.5:1111", mapped));
        assert!(!every.is_ours("localhost:1111", mapped), "not loopback");
        let named = Names::new("Preview.Example", 1111);
        assert!(named.is_ours("preview.example:1111", mapped));
        assert_eq!(named.hostname, None);
    }

    fn head(lines: &[(&str, &str)]) -> Head {
        Head {
            method: "GET".into(),
            target: "/".into(),
            http11: true,
            headers: lines
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn requests_from_other_sites_are_refused_but_a_followed_link_opens() {
        let names = Names::new("127.0.0.1", 1111);
        let h = ("host", "127.0.0.1:1111");
        let ok = |lines: &[(&str, &str)]| check(&head(lines), &names, local4());
        assert_eq!(ok(&[h]), Ok(()));
        assert_eq!(ok(&[]), Err(Refusal::NoHost));
        assert_eq!(ok(&[h, h]), Err(Refusal::NoHost));
        assert_eq!(ok(&[("host", "evil:1111")]), Err(Refusal::OtherHost));
        assert_eq!(ok(&[h, ("origin", "http://127.0.0.1:1111")]), Ok(()));
        for origin in [
            "http://evil",
            "null",
            "https://127.0.0.1:1111",
            "http://127.0.0.1",
        ] {
            assert_eq!(ok(&[h, ("origin", origin)]), Err(Refusal::OtherSite));
        }
        assert_eq!(ok(&[h, ("sec-fetch-site", "none")]), Ok(()));
        assert_eq!(ok(&[h, ("sec-fetch-site", "same-origin")]), Ok(()));
        for site in ["cross-site", "same-site", "whatever"] {
            let s = ("sec-fetch-site", site);
            assert_eq!(ok(&[h, s]), Err(Refusal::OtherSite));
            let frame = [
                h,
                s,
                ("sec-fetch-mode", "navigate"),
                ("sec-fetch-dest", "iframe"),
            ];
            assert_eq!(ok(&frame), Err(Refusal::OtherSite));
            let page = [
                h,
                s,
                ("sec-fetch-mode", "navigate"),
                ("sec-fetch-dest", "document"),
            ];
            assert_eq!(ok(&page), Ok(()));
        }
    }
}
