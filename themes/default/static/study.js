/* Qinglian study progress: readings opened, best scores and module status, kept in this
   browser only; fills module pages and the printable study record. Plain ES5. */
(function () {
  "use strict";
  var dataEl = document.getElementById("study-data");
  if (!dataEl || !window.JSON || !document.querySelector) { return; }
  var modules = JSON.parse(dataEl.textContent || dataEl.innerText);
  var RECORD = "qinglian-study-record";
  /* A record file larger than this cannot be one this page exported, nor fit in storage. */
  var MAX_RECORD = 5000000;
  var strings = document.documentElement.lang === "en" ?
    { not_started: "Not started", in_progress: "In progress", passed: "Completed", best: "best" } :
    { not_started: "未开始", in_progress: "学习中", passed: "已完成", best: "最好成绩" };

  /* IE11 has no "hidden" property: set the attribute itself. */
  function hide(el, on) {
    if (on) { el.setAttribute("hidden", "hidden"); } else { el.removeAttribute("hidden"); }
  }
  /* What this browser keeps under key: always an object, whatever the storage holds. */
  function load(key) {
    var value;
    try { value = JSON.parse(window.localStorage.getItem(key) || "{}"); } catch (e) { return {}; }
    return isObject(value) ? value : {};
  }
  function each(nodes, fn) { for (var i = 0; i < nodes.length; i++) { fn(nodes[i], i); } }
  function store(key, value) {
    try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* not kept */ }
  }
  var visited, quizzes, records;
  function reload() {
    visited = load("qinglian.visited");
    quizzes = load("qinglian.quiz");
    records = load("qinglian.modules");
  }

  /* Where a reader stands in one module. */
  function progress(m) {
    var read = 0;
    each(m.readings, function (r) { if (visited[r.url]) { read++; } });
    var best = null;
    if (records[m.id]) { best = records[m.id].best; } else if (m.quiz && quizzes[m.quiz.id]) { best = quizzes[m.quiz.id].best; }
    var passed = m.quiz ? best !== null && best >= m.pass : m.readings.length > 0 && read === m.readings.length;
    var state = passed ? "passed" : (read > 0 || best !== null ? "in_progress" : "not_started");
    return { read: read, best: best, state: state };
  }

  function render() {
    each(modules, function (m) {
      var p = progress(m);
      each(document.querySelectorAll("[data-module-status]"), function (el) {
        if (el.getAttribute("data-module-status") !== m.url) { return; }
        el.className = "module-status status-" + p.state;
        el.innerHTML = strings[p.state] + (p.best !== null ? " · " + strings.best + " " + p.best + "%" : "");
      });
      var row = document.querySelector("tr[data-module=\"" + m.id + "\"]");
      if (row) {
        row.querySelector(".record-readings").innerHTML = p.read + " / " + m.readings.length;
        row.querySelector(".record-best").innerHTML = p.best !== null ? p.best + "%" : "—";
        row.querySelector(".record-status").innerHTML = strings[p.state];
        row.className = "status-" + p.state;
      }
    });
    each(document.querySelectorAll("[data-reading-done]"), function (el) {
      if (visited[el.getAttribute("data-reading-done")]) { hide(el, false); }
    });
  }
  reload();
  render();

  var form = document.getElementById("record-form");
  if (!form) { return; }
  var name = document.getElementById("record-name");
  var date = document.getElementById("record-date");
  function two(n) { return (n < 10 ? "0" : "") + n; }
  date.value = today();
  try { name.value = window.localStorage.getItem("qinglian.name") || ""; } catch (e) { /* empty */ }
  function copy() {
    document.getElementById("record-name-out").innerHTML = name.value ? name.value.replace(/&/g, "&amp;").replace(/</g, "&lt;") : "＿＿＿＿＿＿";
    document.getElementById("record-date-out").innerHTML = date.value ? date.value.replace(/&/g, "&amp;").replace(/</g, "&lt;") : "＿＿＿＿＿＿";
    try { window.localStorage.setItem("qinglian.name", name.value); } catch (e) { /* not kept */ }
  }
  /* oninput catches pasting and IME input; onkeyup and onchange cover browsers without it. */
  name.oninput = name.onchange = name.onkeyup = date.oninput = date.onchange = copy;
  copy();
  hide(form, false);
  form.onsubmit = function () { return false; };
  document.getElementById("record-print").onclick = function () { copy(); window.print(); };
  transfer(function (text) {
    if (!name.value) { name.value = text; copy(); }
  });

  /* Exporting the record, and importing one, so it can move to another computer or browser. */
  function transfer(takeName) {
    var box = document.getElementById("record-transfer");
    if (!box) { return; }
    var status = document.getElementById("record-transfer-status");
    var copyRow = document.getElementById("record-export-copy");
    var text = document.getElementById("record-export-text");
    var input = document.getElementById("record-import");
    function say(message, error) {
      status.className = "transfer-status" + (error ? " error" : "");
      status.innerHTML = message.replace(/&/g, "&amp;").replace(/</g, "&lt;");
    }
    document.getElementById("record-export").onclick = function () {
      var rec = studyRecord(box.getAttribute("data-site"));
      var json = JSON.stringify(rec, null, 1);
      var file = box.getAttribute("data-file") + "-" + rec.exported + ".json";
      if (save(json, file)) {
        hide(copyRow, true);
        say(fill(box.getAttribute("data-exported"), { file: file }), false);
      } else {
        text.value = json;
        hide(copyRow, false);
        say(box.getAttribute("data-copy"), false);
        text.focus();
        text.select();
      }
    };
    if (!window.FileReader) {
      hide(document.getElementById("record-import-row"), true);
    }
    input.onchange = function () {
      var file = input.files && input.files[0];
      if (!file) { return; }
      if (file.size > MAX_RECORD) {
        say(box.getAttribute("data-full"), true);
        try { input.value = ""; } catch (e) { /* as below */ }
        return;
      }
      var reader = new FileReader();
      reader.onload = function () {
        var counts = mergeRecord(String(reader.result), takeName);
        if (!counts) {
          say(box.getAttribute("data-invalid"), true);
        } else if (counts.full) {
          say(box.getAttribute("data-full"), true);
        } else {
          /* On one page of a paged record, readings of the other pages' modules count too. */
          var others = box.getAttribute("data-paged") ? counts.others : 0;
          var changed = counts.quizzes + counts.modules + counts.readings + others > 0;
          say(fill(box.getAttribute(changed ? "data-imported" : "data-unchanged"), counts), false);
        }
        try { input.value = ""; } catch (e) { /* the same file cannot be chosen twice in a row */ }
      };
      reader.onerror = function () { say(box.getAttribute("data-invalid"), true); };
      reader.readAsText(file, "UTF-8");
    };
    hide(box, false);
  }

  function today() {
    var now = new Date();
    return now.getFullYear() + "-" + two(now.getMonth() + 1) + "-" + two(now.getDate());
  }
  function fill(message, values) {
    for (var k in values) {
      if (own(values, k)) { message = message.split("{" + k + "}").join(values[k]); }
    }
    return message;
  }

  /* Everything this browser keeps about the reader's study, as one JSON-ready object. */
  function studyRecord(site) {
    var data = { visited: load("qinglian.visited"), quiz: load("qinglian.quiz"), modules: load("qinglian.modules") };
    try { if (window.localStorage.getItem("qinglian.name")) { data.name = window.localStorage.getItem("qinglian.name"); } } catch (e) { /* no name */ }
    return { format: RECORD, version: 1, exported: today(), site: site || "", data: data };
  }

  /* Downloads json as file: msSaveBlob in IE11, a[download] elsewhere; false when neither works. */
  function save(json, file) {
    var blob;
    try { blob = new window.Blob([json], { type: "application/json;charset=utf-8" }); } catch (e) { return false; }
    if (window.navigator.msSaveBlob) { return window.navigator.msSaveBlob(blob, file) !== false; }
    var a = document.createElement("a");
    if (!window.URL || !window.URL.createObjectURL || typeof a.download === "undefined") { return false; }
    var url = window.URL.createObjectURL(blob);
    a.href = url;
    a.download = file;
    a.style.display = "none";
    document.body.appendChild(a);
    a.click();
    window.setTimeout(function () { document.body.removeChild(a); window.URL.revokeObjectURL(url); }, 1000);
    return true;
  }

  /* Merges an exported record into this browser: best scores kept, readings unioned. Returns
     how many entries were added or improved, {full: true} when the storage cannot hold the
     result (what was kept before stays), or null when the text is not a study record. */
  function mergeRecord(text, takeName) {
    var rec;
    try { rec = JSON.parse(text.replace(/^\uFEFF/, "")); } catch (e) { return null; }
    if (!isObject(rec) || rec.format !== RECORD || rec.version !== 1 || !isObject(rec.data)) { return null; }
    var quiz = load("qinglian.quiz");
    var mods = load("qinglian.modules");
    var seen = load("qinglian.visited");
    var visits = mergeVisited(seen, rec.data.visited);
    var counts = {
      quizzes: mergeScores(quiz, rec.data.quiz, false),
      modules: mergeScores(mods, rec.data.modules, true),
      readings: visits.readings,
      others: visits.others,
      date: day(rec.exported) || "?"
    };
    if (!storeAll({ "qinglian.quiz": quiz, "qinglian.modules": mods, "qinglian.visited": seen })) {
      return { full: true };
    }
    if (typeof rec.data.name === "string" && rec.data.name.length < 100) { takeName(rec.data.name); }
    reload();
    render();
    return counts;
  }

  /* Stores every key of values, or none: when the storage refuses one (full, or switched
     off), the keys already written get their earlier text back. */
  function storeAll(values) {
    var before = {}, key;
    try {
      for (key in values) { if (own(values, key)) { before[key] = window.localStorage.getItem(key); } }
      for (key in values) { if (own(values, key)) { window.localStorage.setItem(key, JSON.stringify(values[key])); } }
      return true;
    } catch (e) {
      for (key in before) {
        if (!own(before, key)) { continue; }
        try {
          if (before[key] === null) { window.localStorage.removeItem(key); } else { window.localStorage.setItem(key, before[key]); }
        } catch (e2) { /* it was there a moment ago: it fits */ }
      }
      return false;
    }
  }
  function own(o, key) { return Object.prototype.hasOwnProperty.call(o, key); }
  function isObject(v) { return v !== null && typeof v === "object" && !(v instanceof Array); }
  function score(v) { return typeof v === "number" && v >= 0 && v <= 100 ? Math.round(v) : null; }
  function count(v) { return typeof v === "number" && v >= 0 && v < 1000000 ? Math.floor(v) : 0; }
  function day(v) { return typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : ""; }

  /* Merges score records (bank or module id -> {best: n}) into mine; counts the ids added
     or improved. Only known fields with sane values are taken from the file. */
  function mergeScores(mine, theirs, isModule) {
    var changed = 0;
    if (!isObject(theirs)) { return 0; }
    for (var id in theirs) {
      /* An id is any text, "hasOwnProperty" and "__proto__" included: only the record's own
         entries count, and "__proto__" cannot be kept as an entry of a plain object. */
      if (!own(theirs, id) || id === "__proto__" || !isObject(theirs[id]) || score(theirs[id].best) === null) { continue; }
      var t = theirs[id];
      var m = own(mine, id) && isObject(mine[id]) && score(mine[id].best) !== null ? mine[id] : null;
      if (!m) {
        m = mine[id] = { best: score(t.best), at: day(t.at) };
        if (isModule) { m.passed = t.passed === true; } else { m.last = score(t.last) === null ? m.best : score(t.last); m.attempts = count(t.attempts); }
        changed++;
        continue;
      }
      if (score(t.best) > m.best || (isModule && t.passed === true && m.passed !== true)) { changed++; }
      m.best = Math.max(m.best, score(t.best));
      if (isModule) { m.passed = m.passed === true || t.passed === true; } else { m.attempts = Math.max(count(m.attempts), count(t.attempts)); }
      if (day(t.at) > (m.at || "")) {
        m.at = day(t.at);
        if (!isModule && score(t.last) !== null) { m.last = score(t.last); }
      }
    }
    return changed;
  }

  /* Adds the pages opened in the record (paths) to those opened here; counts the added ones
     that are readings of this page's modules, and the others. */
  function mergeVisited(mine, theirs) {
    var readings = {};
    var added = { readings: 0, others: 0 };
    each(modules, function (m) { each(m.readings, function (r) { readings[r.url] = 1; }); });
    if (!isObject(theirs)) { return added; }
    for (var path in theirs) {
      if (own(theirs, path) && path.charAt(0) === "/" && path.length < 2000 && !(own(mine, path) && mine[path])) {
        mine[path] = 1;
        if (readings[path]) { added.readings++; } else { added.others++; }
      }
    }
    return added;
  }
})();
