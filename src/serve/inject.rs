//! What `serve` adds to each HTML page, and never `build`: a small ES5 script that reloads
//! the page when the site is rebuilt (Server-Sent Events while the page is showing, polling
//! where EventSource is missing or the server has no stream to spare), and, after a failed
//! build, an overlay listing the mistakes.

use crate::diag::Diagnostic;
use crate::messages::Lang;

/// Where the reload events and the version are served.
pub const EVENTS: &str = "/__qinglian/events";
pub const VERSION: &str = "/__qinglian/version";
/// The version and whether everything of it is served (the search index follows the pages).
pub const SETTLED: &str = "/__qinglian/settled";

/// Marks around the injected part, so tests can take it out again.
pub const START: &str = "<!--qinglian-serve-->";
pub const END: &str = "<!--/qinglian-serve-->";

/// `html` with the reload script (and the overlay, when `diags` hold errors) before `</body>`.
pub fn page(html: &[u8], version: u64, diags: &[Diagnostic], lang: Lang) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let at = text.rfind("</body>").unwrap_or(text.len());
    let mut out = String::with_capacity(text.len() + 2048);
    out.push_str(&text[..at]);
    out.push_str(START);
    if diags.iter().any(Diagnostic::is_error) {
        out.push_str(&overlay(diags, lang));
    }
    out.push_str(&script(version));
    out.push_str(END);
    out.push_str(&text[at..]);
    out.into_bytes()
}

/// The reload script. A page that is showing holds one event stream (or asks for the version
/// once a second when the server says so, or the browser has no `EventSource`); a hidden page
/// holds nothing, and once shown again asks for the version and listens again.
fn script(version: u64) -> String {
    format!(
        r#"<script>(function(){{var v="{version}",s=null,t=null,poll=false;function go(d){{if(d!==v){{location.reload();}}}}
function hidden(){{return document.hidden===true;}}
function check(){{var x=new XMLHttpRequest();x.open("GET","{VERSION}",true);x.onreadystatechange=function(){{if(x.readyState===4&&x.status===200){{go(x.responseText);}}}};x.send();}}
function stop(){{if(s){{s.close();s=null;}}if(t!==null){{clearInterval(t);t=null;}}}}
function listen(){{if(hidden()){{return;}}if(poll||!window.EventSource){{if(t===null){{t=setInterval(function(){{if(!hidden()){{check();}}}},1000);}}return;}}
if(!s){{s=new EventSource("{EVENTS}?v="+v);s.onmessage=function(e){{go(e.data);}};s.addEventListener("poll",function(){{stop();poll=true;listen();}},false);}}}}
if(document.addEventListener){{document.addEventListener("visibilitychange",function(){{if(hidden()){{stop();}}else{{poll=false;check();listen();}}}},false);}}
listen();
var o=document.getElementById("qinglian-overlay");if(o){{var b=document.getElementById("qinglian-overlay-close");b.onclick=function(){{o.parentNode.removeChild(o);}};document.onkeydown=function(e){{if((e||window.event).keyCode===27&&o.parentNode){{o.parentNode.removeChild(o);}}}};b.focus();}}}})();</script>"#
    )
}

/// The mistakes of the last build, shown over the page until the next good save.
fn overlay(diags: &[Diagnostic], lang: Lang) -> String {
    let t = |m: crate::messages::Msg| escape(&m.render(lang));
    let mut items = String::new();
    for d in diags.iter().filter(|d| d.is_error()).take(50) {
        let place = if d.line > 0 {
            format!("{}:{}:{}", d.path, d.line, d.column)
        } else {
            d.path.clone()
        };
        let hint = d
            .hint
            .as_ref()
            .map(|h| {
                format!(
                    "<br><span style=\"color:#333\">{}</span>",
                    code_spans(&h.render(lang))
                )
            })
            .unwrap_or_default();
        items.push_str(&format!(
            "<li style=\"margin:0 0 .6em\"><code style=\"color:#7a1212\">{}</code><br>{}{hint}</li>",
            escape(&place),
            code_spans(&d.message.render(lang))
        ));
    }
    format!(
        "<div id=\"qinglian-overlay\" role=\"alertdialog\" aria-labelledby=\"qinglian-overlay-title\" aria-describedby=\"qinglian-overlay-intro\" style=\"position:fixed;left:0;right:0;top:0;max-height:80%;overflow:auto;z-index:2147483647;background:#fff;color:#111;border-bottom:4px solid #9e1b1b;padding:1em 1.2em;font:16px/1.5 sans-serif;box-shadow:0 4px 16px rgba(0,0,0,.3)\">\
<h2 id=\"qinglian-overlay-title\" style=\"margin:0 0 .4em;color:#9e1b1b;font-size:1.2em\">{}</h2>\
<p id=\"qinglian-overlay-intro\" style=\"margin:0 0 .8em\">{}</p><ol style=\"margin:0 0 1em;padding-left:1.4em\">{items}</ol>\
<button type=\"button\" id=\"qinglian-overlay-close\" style=\"font:inherit;padding:.3em 1em;background:#9e1b1b;color:#fff;border:0;border-radius:4px;cursor:pointer\">{}</button></div>",
        t(crate::msg!("serve.overlay.title")),
        t(crate::msg!("serve.overlay.intro")),
        t(crate::msg!("serve.overlay.close")),
    )
}

/// A message as HTML: escaped, with its `code` spans (a run of backticks up to the next run
/// of as many) as `<code>`, as a terminal reader sees them set apart.
fn code_spans(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    let mut rest = text;
    while let Some(open) = rest.find('`') {
        let ticks = rest[open..].len() - rest[open..].trim_start_matches('`').len();
        let fence = &rest[open..open + ticks];
        let inner_start = open + ticks;
        let Some(close) = rest[inner_start..].find(fence) else {
            break;
        };
        out.push_str(&escape(&rest[..open]));
        let inner = rest[inner_start..inner_start + close].trim();
        out.push_str("<code style=\"background:#f3f3f3;padding:0 .2em\">");
        out.push_str(&escape(inner));
        out.push_str("</code>");
        rest = &rest[inner_start + close + ticks..];
    }
    out.push_str(&escape(rest));
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `html` without what [`page`] added.
pub fn strip(html: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    match (text.find(START), text.find(END)) {
        (Some(a), Some(b)) if a < b => {
            let mut out = text[..a].to_owned();
            out.push_str(&text[b + END.len()..]);
            out.into_bytes()
        }
        _ => html.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Severity;

    #[test]
    fn the_overlay_escapes_and_strip_gives_the_page_back() {
        let html = b"<html><body><p>x</p></body></html>";
        let d = Diagnostic::file(Severity::Error, "content/cases/<a>.md", "bad <script>");
        let served = page(html, 3, &[d], Lang::Zh);
        let text = String::from_utf8(served.clone()).unwrap();
        assert!(text.contains("content/cases/&lt;a&gt;.md") && text.contains("bad &lt;script&gt;"));
        assert!(text.contains("role=\"alertdialog\""));
        assert!(text.ends_with("</body></html>"));
        assert_eq!(strip(&served), html);
        assert_eq!(
            code_spans("键 `sumary` 与 `` ` `` 和 `<a>` 以及 `未闭合"),
            "键 <code style=\"background:#f3f3f3;padding:0 .2em\">sumary</code> 与 \
             <code style=\"background:#f3f3f3;padding:0 .2em\">`</code> 和 \
             <code style=\"background:#f3f3f3;padding:0 .2em\">&lt;a&gt;</code> 以及 `未闭合"
        );
        let clean = page(html, 4, &[], Lang::Zh);
        assert!(!String::from_utf8(clean).unwrap().contains("alertdialog"));
    }
}
