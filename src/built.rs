//! The built site: the linked site ([`Linked`]) with its rendered bodies ([`Bodies`]). Only
//! a built site has pages (an item with its address and its body's HTML), so no stage sees
//! a page whose body is not rendered yet.

use std::ops::Deref;
use std::sync::Arc;

use crate::bodies::Bodies;
use crate::kinds::channel::{Channel, ChannelKind};
use crate::kinds::{Item, Kind, KindData, Meta};
use crate::site::Linked;
use crate::source::SourceFile;

/// The linked site and its bodies: what the plan, the renderers, serve and the exports read.
#[derive(Debug, Clone)]
pub struct Site {
    pub linked: Linked,
    pub bodies: Arc<Bodies>,
}

/// A built site reads as its linked site for everything but pages.
impl Deref for Site {
    type Target = Linked;
    fn deref(&self) -> &Linked {
        &self.linked
    }
}

impl crate::site::urls::Based for Site {
    fn base_path(&self) -> &str {
        &self.linked.base_path
    }
}

/// A published item with its kind's fields, address and rendered body.
#[derive(Debug)]
pub struct PageRef<'a, K> {
    pub item: &'a Item,
    pub data: &'a K,
    pub url: &'a str,
    pub out: &'a str,
    pub html: &'a str,
}

impl<K> Clone for PageRef<'_, K> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<K> Copy for PageRef<'_, K> {}

/// One published page of any kind: the cross-kind view the sitemap, the privacy check, the
/// default menu and the search index loop over.
#[derive(Debug, Clone, Copy)]
pub struct PageView<'a> {
    pub kind: Kind,
    pub id: &'a str,
    pub url: &'a str,
    pub meta: &'a Meta,
    pub html: &'a str,
    pub file: &'a SourceFile,
    pub item: &'a Item,
}

impl Site {
    /// The linked site with its rendered bodies.
    pub fn new(linked: Linked, bodies: Arc<Bodies>) -> Site {
        Site { linked, bodies }
    }

    /// A published item, typed as its kind.
    pub fn page<K: KindData>(&self, id: &str) -> Option<PageRef<'_, K>> {
        let item = self.linked.items.get(id)?;
        let data = item.get::<K>()?;
        let entry = self.entries.get(id)?;
        Some(PageRef {
            item,
            data,
            url: &entry.url,
            out: &entry.out,
            html: self.bodies.html(id),
        })
    }

    /// A kind's published items in list order.
    pub fn ordered<K: KindData>(&self) -> impl Iterator<Item = PageRef<'_, K>> + '_ {
        self.index
            .order(K::KIND)
            .filter_map(|id| self.page::<K>(id))
    }

    /// Every published page, of every kind, in kind order then list order.
    pub fn pages(&self) -> impl Iterator<Item = PageView<'_>> + '_ {
        Kind::ALL
            .iter()
            .flat_map(move |&k| self.index.order(k).filter_map(move |id| self.view(id)))
    }

    /// The published page `id`, of whatever kind.
    pub fn view(&self, id: &str) -> Option<PageView<'_>> {
        let (id, item) = self.items.get_key_value(id)?;
        let entry = self.entries.get(id)?;
        Some(PageView {
            kind: item.kind,
            id,
            url: &entry.url,
            meta: &item.meta,
            html: self.bodies.html(id),
            file: &item.file,
            item,
        })
    }
}

/// Channels of one kind on the report page: the site's own, or (on a unit's site) the
/// commission's (上级举报渠道), in report order.
#[derive(Debug)]
pub struct ChannelGroup<'a> {
    pub upper: bool,
    pub kind: ChannelKind,
    pub channels: Vec<PageRef<'a, Channel>>,
}

/// `channels` (in service, in report order) grouped as the report page shows them: the own
/// channels by kind, then the commission's by kind (`upper` tells them apart).
pub fn channel_groups<'a>(
    channels: impl IntoIterator<Item = PageRef<'a, Channel>>,
    upper: impl Fn(&str) -> bool,
) -> Vec<ChannelGroup<'a>> {
    let mut groups: Vec<ChannelGroup<'a>> = Vec::new();
    for c in channels {
        let (up, kind) = (upper(&c.item.id), c.data.kind);
        match groups.iter_mut().find(|g| g.upper == up && g.kind == kind) {
            Some(g) => g.channels.push(c),
            None => groups.push(ChannelGroup {
                upper: up,
                kind,
                channels: vec![c],
            }),
        }
    }
    // Stable: each group keeps the report order within and among its own side's groups.
    groups.sort_by_key(|g| g.upper);
    groups
}

/// Channels for the posters: active, not `poster: false`, in report order.
pub fn poster_channels(site: &Site) -> impl Iterator<Item = PageRef<'_, Channel>> {
    let today = site.options.today;
    site.ordered::<Channel>()
        .filter(move |c| c.data.on_poster(today))
}
