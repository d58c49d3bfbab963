//! The preview's address as people meet it: the one printed and opened (an IPv6 address in
//! brackets, a loopback address as this computer only), what it says about who else can open
//! it, and the browser opened on it without a shell between.

use std::net::{IpAddr, SocketAddr};

use crate::messages::{self, Lang, Msg};

/// The host to print and open for a server bound to `bind` (as given to `--bind`): the name
/// or address given, in URL form; for every address, this computer's loopback address.
pub fn shown_host(bind: &str) -> String {
    match super::guard::bind_ip(bind) {
        Some(IpAddr::V4(ip)) if ip.is_unspecified() => "127.0.0.1".into(),
        Some(IpAddr::V6(ip)) if ip.is_unspecified() => "[::1]".into(),
        Some(IpAddr::V6(ip)) => format!("[{ip}]"),
        Some(IpAddr::V4(ip)) => ip.to_string(),
        None => bind.to_owned(),
    }
}

/// Who the server on `local` lets in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Only this computer (any loopback address).
    ThisComputer,
    /// Other computers, through one address of this one.
    OneAddress,
    /// Other computers, through every address of this one.
    Everywhere,
}

pub fn reach(local: SocketAddr) -> Reach {
    let ip = local.ip().to_canonical();
    if ip.is_loopback() {
        Reach::ThisComputer
    } else if ip.is_unspecified() {
        Reach::Everywhere
    } else {
        Reach::OneAddress
    }
}

/// Prints the address, a warning for each kind of page that should not be on the network
/// and is, and who can open it.
pub fn announce(address: &str, local: SocketAddr, site: &crate::pipeline::SiteArgs) {
    let lang = site.lang;
    messages::say(lang, &crate::msg!("serve.address", address = address));
    let reach = reach(local);
    if reach != Reach::ThisComputer {
        if site.audience == crate::types::Audience::Staff {
            warn(lang, crate::msg!("serve.shared_staff"));
        }
        if site.drafts {
            warn(lang, crate::msg!("serve.shared_drafts"));
        }
    }
    let m = match reach {
        Reach::ThisComputer => crate::msg!("serve.local_only"),
        Reach::OneAddress => crate::msg!("serve.shared", address = address),
        Reach::Everywhere => crate::msg!("serve.shared_all", port = local.port()),
    };
    messages::say(lang, &m);
}

fn warn(lang: Lang, m: Msg) {
    let word = crate::msg!("diag.warning").render(lang);
    eprintln!("{word}: {}", m.render(lang));
}

/// The program and arguments that open `url` in the default browser on `os` (as
/// `std::env::consts::OS` names it): the address is one argument, and no shell reads it.
pub fn opener(os: &str, url: &str) -> (&'static str, Vec<String>) {
    match os {
        "windows" => (
            "rundll32.exe",
            vec!["url.dll,FileProtocolHandler".into(), url.into()],
        ),
        "macos" => ("open", vec![url.into()]),
        _ => ("xdg-open", vec![url.into()]),
    }
}

/// Opens `url` in the default browser (quietly: a computer without one still previews).
pub fn open_browser(url: &str) {
    let (program, args) = opener(std::env::consts::OS, url);
    let _ = std::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_shown_as_a_browser_takes_them() {
        assert_eq!(shown_host("127.0.0.1"), "127.0.0.1");
        assert_eq!(shown_host("0.0.0.0"), "127.0.0.1");
        assert_eq!(shown_host("::"), "[::1]");
        assert_eq!(shown_host("::1"), "[::1]");
        assert_eq!(shown_host("[::1]"), "[::1]");
        assert_eq!(shown_host("fe80::1"), "[fe80::1]");
        assert_eq!(shown_host("localhost"), "localhost");
        let at = |a: &str| reach(a.parse().unwrap());
        assert_eq!(at("127.0.0.2:1111"), Reach::ThisComputer);
        assert_eq!(at("[::1]:1111"), Reach::ThisComputer);
        assert_eq!(at("[::ffff:127.0.0.1]:1111"), Reach::ThisComputer);
        assert_eq!(at("0.0.0.0:1111"), Reach::Everywhere);
        assert_eq!(at("[::]:1111"), Reach::Everywhere);
        assert_eq!(at("192.168.1.5:1111"), Reach::OneAddress);
    }

    #[test]
    fn the_browser_is_opened_without_a_shell_on_every_system() {
        let url = "http://127.0.0.1:1111/a&calc/\"x^|y";
        for os in ["windows", "macos", "linux", "freebsd"] {
            let (program, args) = opener(os, url);
            assert!(
                !["cmd", "cmd.exe", "sh", "bash", "powershell"].contains(&program),
                "{os}: {program}"
            );
            assert_eq!(args.last().map(String::as_str), Some(url), "{os}");
            assert!(args[..args.len() - 1].iter().all(|a| !a.contains(url)));
        }
    }
}
