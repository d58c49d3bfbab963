/* Qinglian search, ES5; index files load as <script> (file://, any subpath).
   Tokenizing and ranking mirror src/search/tokenize.rs and query.rs. */
(function () {
"use strict";
var Q = window.QL_SEARCH = {}, got = {}, DIG = [], D = document, i;
for (i = 0; i < 64; i++) DIG["0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_".charCodeAt(i)] = i;
Q.add = function (n, data) { got[n] = data; };

function fold(s) {
  for (var o = "", j = 0, c; j < s.length; j++) {
    c = s.charCodeAt(j);
    c = c > 0xFF00 && c < 0xFF5F ? c - 0xFEE0 : c === 0x3000 ? 32 : c;
    o += String.fromCharCode(c > 64 && c < 91 ? c + 32 : c);
  }
  return o;
}
function within(c, r) { for (var j = 0; j < r.length; j += 2) if (c >= r[j] && c <= r[j + 1]) return 1; }
var WORD = [48, 57, 97, 122, 192, 591, 880, 1279], CJK = [0x4E00, 0x9FFF, 0x3005, 0x3007, 0x3040, 0x30FA,
  0x30FC, 0x30FF, 0x3130, 0x318F, 0x31F0, 0x31FF, 0x3400, 0x4DBF, 0xF900, 0xFAFF, 0xAC00, 0xD7AF, 0x1100,
  0x11FF, 0x20000, 0x3FFFF];
function tokenize(q) {
  var out = [], run = [], word = "", j, c, ch;
  function push(x) { if (out.length < 10 && out.indexOf(x) < 0) out.push(x); }
  function end() {
    if (run.length === 1) push(run[0]);
    for (var r = 1; r < run.length; r++) push(run[r - 1] + run[r]);
    if (word) push(word.slice(0, 32));
    run = []; word = "";
  }
  for (q = fold(q), j = 0; j < q.length; j++) {
    c = q.charCodeAt(j); ch = q.charAt(j);
    if (c >> 10 === 54 && q.charCodeAt(j + 1) >> 10 === 55) { ch = q.substr(j++, 2); c = (c - 0xD7C0) * 1024 + ch.charCodeAt(1) - 0xDC00; }
    if (within(c, CJK)) { if (word) end(); run.push(ch); }
    else if (within(c, WORD)) { if (run.length) end(); word += ch; }
    else end();
  }
  end();
  return out;
}
function phrase(q) { return fold(q).replace(/[\x00-\x20]+/g, " ").replace(/^ | $/g, ""); }
function hash(s) {
  for (var h = 5381, j = 0; j < s.length; j++) h = (h * 31 + s.charCodeAt(j)) >>> 0;
  h = (h ^ h << 13) >>> 0; h = (h ^ h >>> 17) >>> 0;
  return (h ^ h << 5) >>> 0;
}
Q.tokenize = tokenize; Q.hash = hash; Q.phrase = phrase;

/* A posting list: gap and value per document (bare: gaps only). */
function decode(s, bare) {
  var L = { ids: [], vals: [] }, j = 0, next = 0, d, g;
  while (j < s.length) {
    for (g = 0, d = DIG[s.charCodeAt(j++)]; d > 31; d = DIG[s.charCodeAt(j++)]) g = g * 32 + d - 32;
    if (!(d + (bare ? 0 : DIG[s.charCodeAt(j)]) >= 0)) return decode("");
    next += g * 32 + d; L.ids.push(next++); if (!bare) L.vals.push(DIG[s.charCodeAt(j++)]);
  }
  return L;
}
/* A list as a shard or its own file holds it: plain, or tiered (src/search/tier.rs): every
   document as gaps (g) or a bitmap from document o (m), values only for the tier (v), the
   others at the floor (f). */
function postings(e) {
  if (typeof e === "string") return decode(e);
  var T, L = decode(""), ids = [], j, b, k = 0;
  if (!e || typeof e.v !== "string" || !(e.f >= 0 && e.f < 32)) return L;
  if (typeof e.g === "string" && e.m == null) ids = decode(e.g, 1).ids;
  else if (typeof e.m === "string" && e.g == null && e.o >= 0) {
    for (j = 0; j < e.m.length * 6; j++) {
      if (!((b = DIG[e.m.charCodeAt(j / 6 | 0)]) >= 0)) return L;
      if (b >> j % 6 & 1) ids.push(e.o + j);
    }
  } else return L;
  for (T = decode(e.v), j = 0; j < ids.length; j++) {
    while (T.ids[k] < ids[j]) k++;
    L.ids.push(ids[j]); L.vals.push(T.ids[k] === ids[j] ? T.vals[k] : e.f);
  }
  return L;
}
function byScore(a, b) { return b.s - a.s || a.id - b.id; }
function rank(lists, meta) {
  var sum = 0, cand = [], j, k, x, c, L, out;
  for (j = 0; j < lists.length; j++) {
    L = lists[j]; k = L.ids.length; L.i = j;
    if (!k) return [];
    L.w = Math.log(1 + (meta.n - k + 0.5) / (k + 0.5)); sum += L.w;
  }
  lists = lists.slice().sort(function (a, b) { return a.ids.length - b.ids.length || a.i - b.i; });
  for (L = lists[0], x = 0; x < L.ids.length; x++) cand.push({ id: L.ids[x], s: L.w * (L.vals[x] & 31), t: L.vals[x] >> 5 });
  for (j = 1; j < lists.length; j++) {
    for (L = lists[j], out = [], k = 0, x = 0; x < cand.length; x++) {
      c = cand[x];
      while (L.ids[k] < c.id) k++;
      if (L.ids[k] === c.id) { c.s += L.w * (L.vals[k] & 31); c.t += L.vals[k] >> 5; out.push(c); }
    }
    cand = out;
  }
  for (j = 0; j < cand.length; j++) {
    c = cand[j]; c.kind = "page";
    if (c.t === lists.length) c.s += 10 * sum;
    for (k = 0; k < meta.k.length && c.id >= meta.k[k][1]; k++) c.kind = meta.k[k][0];
  }
  cand.sort(byScore); cand.sum = sum;
  return cand;
}

function load(names, cb) {
  var left = 1, ok = true;
  function one(good) { ok = ok && good; if (!--left) cb(ok); }
  /* t3 → t/3, d12345 → d/12/345 (a thousand documents a folder) */
  function path(name) {
    var d = /^d(\d+)$/.exec(name);
    return base + (d ? "d/" + Math.floor(d[1] / 1000) + "/" + d[1] % 1000 : name.replace(/^t/, "t/")) + (json ? ".json" : ".js");
  }
  function script(name) {
    var s = D.createElement("script"), timer = setTimeout(done, 15000);
    function done(e) {
      if (!s) return;
      clearTimeout(timer); s.onload = s.onerror = s = null;
      one(e && e.type === "load" && name in got);
    }
    s.onload = s.onerror = done;
    s.src = path(name);
    D.body.appendChild(s);
  }
  /* Data read over XMLHttpRequest: another website may include a script of the site, but
     cannot read what it fetches (a staff site's index stays in the site). */
  function data(name) {
    var x = new XMLHttpRequest();
    x.onreadystatechange = function () {
      if (x.readyState !== 4) return;
      var good = x.status === 200 || (x.status === 0 && x.responseText);
      try { if (good) got[name] = JSON.parse(x.responseText); } catch (e) { good = false; }
      one(!!good && name in got);
    };
    x.open("GET", path(name), true);
    x.send();
  }
  for (var j = 0; j < names.length; j++) if (!(names[j] in got)) { left++; (json ? data : script)(names[j]); }
  one(true);
}

var base = "", json = false, s = D.getElementsByTagName("script"), el = function (id) { return D.getElementById(id); };
for (i = 0; i < s.length; i++) if (/\bsearch\.js\b/.test(s[i].getAttribute("src"))) {
  base = s[i].getAttribute("data-index") || s[i].src.replace(/[^\/]*$/, "");
  json = s[i].getAttribute("data-form") === "json";
}
var input = el("search-q"), list = el("search-results"), status = el("search-status"), kinds = el("search-kinds");
var more = el("search-more"), none = el("search-none"), filter = el("search-filter"), strings = {}, seq = 0, state, timer, last;
if (!input || !input.form || !list || !status || !kinds) return;
try { strings = JSON.parse(el("search-data").innerHTML).strings || {}; } catch (e) { strings = {}; }
function t(k, v) { return (strings[k] || k).split("{}").join(v); }
function hide(n, on) { if (n) n[on ? "setAttribute" : "removeAttribute"]("hidden", "hidden"); }
function add(to, tag, text, cls) {
  var n = to.appendChild(D.createElement(tag));
  if (text) n.appendChild(D.createTextNode(text));
  if (cls) n.className = cls;
  return n;
}
function clear(text) {
  list.innerHTML = status.innerHTML = "";
  hide(more, 1); hide(none, 1); hide(filter, 1); add(status, "span", text);
}

function marked(node, text, terms) {
  var f = fold(text), marks = [], at = 0, j, p;
  for (j = 0; j < terms.length; j++) for (p = f.indexOf(terms[j]); p >= 0; p = f.indexOf(terms[j], p + 1)) marks.push([p, p + terms[j].length]);
  marks.sort(function (a, b) { return a[0] - b[0]; });
  for (j = 0; j < marks.length; j++) {
    if (marks[j][1] <= at) continue;
    add(node, "span", text.slice(at, Math.max(at, marks[j][0])));
    add(node, "mark", text.slice(Math.max(at, marks[j][0]), at = marks[j][1]));
  }
  add(node, "span", text.slice(at));
}
function render(h, terms) {
  var li = add(list, "li", "", "search-hit"), a = add(li, "a"), meta = add(li, "p", "", "search-meta"), d = h.d, x = d.x, f = fold(x), at = -1, j, p, to;
  a.href = d.u; marked(a, d.t, terms);
  add(meta, "span", t("kind." + h.kind), "search-kind");
  if (d.d) add(meta, "span", " · " + d.d);
  for (j = 0; j < terms.length; j++) { p = f.indexOf(terms[j]); if (p >= 0 && (at < 0 || p < at)) at = p; }
  at = Math.max(at - 30, 0); to = Math.min(x.length, at + 120);
  at += x.charCodeAt(at) >> 10 === 55; to += x.charCodeAt(to) >> 10 === 55;
  marked(add(li, "p", "", "search-snippet"), (at ? "…" : "") + x.slice(at, to) + (to < x.length ? "…" : ""), terms);
}

function docFile(h) { return "d" + h.id; }
function showPage() {
  var my = seq, S = state, hits = S.view.slice(S.shown, S.shown += 10), names = [], j;
  for (j = 0; j < hits.length; j++) if (names.indexOf(docFile(hits[j])) < 0) names.push(docFile(hits[j]));
  hide(more, S.shown >= S.view.length);
  load(names, function () {
    var page = [], h, d;
    if (my !== seq) return;
    for (j = 0; j < hits.length; j++) {
      if (!(d = got[docFile(hits[j])])) continue;
      h = Object.create(hits[j]); h.d = d;
      h.s += S.hits.sum * (fold(d.t).indexOf(S.phrase) >= 0 ? 10 : fold(d.x).indexOf(S.phrase) >= 0 ? 3 : 0);
      page.push(h);
    }
    page.sort(byScore);
    for (j = 0; j < page.length; j++) render(page[j], S.tokens);
  });
}
function view() {
  var S = state, kind = kinds.value, j;
  for (S.view = [], S.shown = j = 0; j < S.hits.length; j++) if (!kind || S.hits[j].kind === kind) S.view.push(S.hits[j]);
  clear(t("found", S.view.length)); seq++;
  hide(filter, S.hits.length < 2);
  showPage();
}
function run(q) {
  var tokens = tokenize(q), my = ++seq, names = [], meta, j;
  function step(files, next) { load(files, function (ok) { if (my === seq) { if (ok) next(); else clear(t("error")); } }); }
  function own(j) { var e = got[names[j]][tokens[j]]; return e === +e ? names[j] + "_" + e : ""; }
  last = q;
  if (!tokens.length) return clear(/\S/.test(q) ? t("empty") : "");
  clear(t("loading"));
  step(["meta"], function () {
    meta = got.meta;
    for (j = 0; j < tokens.length; j++) names.push("t" + Math.floor(hash(tokens[j]) * meta.s / 4294967296));
    step(meta.v === 3 ? names : ["?"], function () {
      var files = [], count = {}, lists = [], e;
      for (j = 0; j < tokens.length; j++) if (own(j)) files.push(own(j));
      step(files, function () {
        for (j = 0; j < tokens.length; j++) {
          lists.push(postings(own(j) ? got[own(j)] : got[names[j]][tokens[j]]));
        }
        state = { tokens: tokens, phrase: phrase(q), hits: rank(lists, meta) };
        kinds.innerHTML = "";
        for (j = 0; j < state.hits.length; j++) count[e = state.hits[j].kind] = (count[e] || 0) + 1;
        add(kinds, "option", t("all") + " (" + state.hits.length + ")").value = "";
        for (j = 0; j < meta.k.length; j++) if (count[e = meta.k[j][0]]) add(kinds, "option", t("kind." + e) + " (" + count[e] + ")").value = e;
        if (state.hits.length) view(); else { clear(t("none", q)); hide(none, 0); }
      });
    });
  });
}

function now() {
  var q = input.value;
  clearTimeout(timer);
  if (q === last) return;
  try { history.replaceState(null, "", q ? "?q=" + encodeURIComponent(q) : location.pathname); } catch (e) { /* file:// */ }
  run(q);
}
input.oninput = function () { clearTimeout(timer); timer = setTimeout(now, 250); };
input.onkeydown = list.onkeydown = function (e) {
  var a = list.getElementsByTagName("a"), at = -1, k = e.keyCode, to;
  for (var j = 0; j < a.length; j++) if (a[j] === e.target) at = j;
  to = k === 40 ? a[at + 1] : k === 38 && at >= 0 ? a[at - 1] || input : null;
  if (k === 27) { input.value = ""; now(); to = input; }
  if (to) { to.focus(); return false; }
};
input.form.onsubmit = function () { now(); return false; };
if (more) more.onclick = showPage;
kinds.onchange = view;
s = /[?&]q=([^&#]*)/.exec(location.search);
try { input.value = s ? decodeURIComponent(s[1].replace(/\+/g, " ")) : input.value; } catch (e) { input.value = ""; }
if (input.value) now();
})();
