//! What every item page shares: its layout (with the news that mention it and its kind's
//! feed), the typed lookup, and citing lists cut to a length.

use super::{Env, Layout, Reader};
use crate::built::PageRef;
use crate::diag::Diagnostic;
use crate::kinds::KindData;
use crate::kinds::news::News;
use crate::site::Link;

/// At most this many citing items are listed on an item page; the rest are a link away.
pub const CITING_SHOWN: usize = 20;

/// The item's page layout, with the news that mention the item and its kind's feed.
pub fn item_layout<'a, K: KindData>(env: &'a Env, r: &Reader, p: &PageRef<'_, K>) -> Layout<'a> {
    let m = &p.item.meta;
    let description = m.description.as_deref().or(m.summary.as_deref());
    let mut layout = Layout::new(env.view, &m.title, description, p.url);
    layout.mentions = mentions(r, &p.item.id);
    layout.feeds = super::lists::kind_feed(env, r, K::KIND);
    layout
}

/// Item `id` as kind `K`, or an internal error when it vanished between plan and render.
pub fn get<'a, K: KindData>(r: &Reader<'a>, id: &str) -> Result<PageRef<'a, K>, Diagnostic> {
    r.page::<K>(id).ok_or_else(|| {
        Diagnostic::file(
            crate::diag::Severity::Error,
            id,
            "internal: the item vanished while rendering",
        )
    })
}

/// Up to [`CITING_SHOWN`] published items as links.
pub fn links(r: &Reader, ids: &[String]) -> Vec<Link> {
    ids.iter()
        .take(CITING_SHOWN)
        .filter_map(|id| r.link_to(id))
        .collect()
}

/// The published news whose bodies link to `id`, newest first, as links.
pub fn mentions(r: &Reader, id: &str) -> Vec<Link> {
    let mut news: Vec<PageRef<News>> = r
        .backlinks(id)
        .iter()
        .filter_map(|b| r.page::<News>(b))
        .collect();
    news.sort_by_key(|n| std::cmp::Reverse(n.item.meta.date));
    news.into_iter()
        .take(CITING_SHOWN)
        .map(|n| Link {
            title: n.item.meta.title.clone(),
            url: n.url.to_owned(),
        })
        .collect()
}
