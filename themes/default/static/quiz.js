/* Qinglian self-test: draw, shuffle, score, review, retry. Plain ES5, no network.
   Without this script the page still lists every question with its answer. */
(function () {
  "use strict";
  var dataEl = document.getElementById("quiz-data");
  var form = document.getElementById("quiz");
  if (!dataEl || !form || !window.JSON || !document.querySelector) { return; }
  var data = JSON.parse(dataEl.textContent || dataEl.innerText);
  var list = form.querySelector(".questions");
  var actions = document.getElementById("quiz-actions");
  var warning = document.getElementById("quiz-warning");
  var submitButton = document.getElementById("quiz-submit");
  var result = document.getElementById("quiz-result");
  var scoreEl = document.getElementById("quiz-score");
  var status = document.getElementById("quiz-status");
  var retryButton = document.getElementById("quiz-retry-wrong");
  var LETTERS = "ABCDEFGH";
  var byId = {};
  var items = {};
  var current = [];
  var wrong = [];
  var warned = false;
  var done = false;
  var timer = null;

  /* IE11 has no "hidden" property: set the attribute itself. */
  function hide(el, on) {
    if (on) { el.setAttribute("hidden", "hidden"); } else { el.removeAttribute("hidden"); }
  }
  function t(key) { return data.strings["quiz." + key] || key; }
  function fill(text, values) {
    for (var k in values) { if (values.hasOwnProperty(k)) { text = text.split("{" + k + "}").join(values[k]); } }
    return text;
  }
  function each(nodes, fn) { for (var i = 0; i < nodes.length; i++) { fn(nodes[i], i); } }
  function shuffle(a) {
    for (var i = a.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1));
      var x = a[i]; a[i] = a[j]; a[j] = x;
    }
    return a;
  }
  function param(name) {
    var m = new RegExp("[?&]" + name + "=([^&#]*)").exec(window.location.search);
    return m ? decodeURIComponent(m[1]) : null;
  }
  function load(key) {
    try { return JSON.parse(window.localStorage.getItem(key) || "{}") || {}; } catch (e) { return {}; }
  }
  function store(key, value) {
    try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* not kept */ }
  }
  function today() {
    var d = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
  }

  var moduleId = param("module");
  var module = null;
  each(data.modules, function (m) { if (m.id === moduleId) { module = m; } });
  var pass = module ? module.pass : data.pass;

  each(data.questions, function (q) {
    byId[q.id] = q;
    items[q.id] = document.getElementById("q-" + q.id);
  });

  function inputs(id) { return items[id].getElementsByTagName("input"); }

  /* The reader's answer: option values, "true"/"false", or blank texts. */
  function given(id) {
    var picked = [];
    each(inputs(id), function (input) {
      if (input.type === "text") { picked.push(input.value); } else if (input.checked) { picked.push(input.value); }
    });
    return picked;
  }
  function answered(id) {
    var g = given(id);
    if (byId[id].kind !== "blank") { return g.length > 0; }
    for (var i = 0; i < g.length; i++) { if (norm(g[i]) === "") { return false; } }
    return true;
  }
  /* Blanks compare without spaces or case, full-width letters and digits as half-width. */
  function norm(text) {
    return String(text).replace(/[\uFF01-\uFF5E]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0xFEE0);
    }).replace(/[\s\u3000]+/g, "").toLowerCase();
  }
  function correct(id) {
    var q = byId[id];
    var g = given(id);
    if (q.kind === "truefalse") { return g.length === 1 && (g[0] === "true") === q.answer; }
    if (q.kind === "blank") {
      for (var i = 0; i < q.answer.length; i++) {
        var ok = false;
        for (var j = 0; j < q.answer[i].length; j++) { if (norm(g[i]) === norm(q.answer[i][j])) { ok = true; } }
        if (!ok) { return false; }
      }
      return true;
    }
    var want = q.answer.slice().sort().join(",");
    return g.slice().sort().join(",") === want;
  }
  function optionItem(id, index) {
    var found = null;
    each(inputs(id), function (input) { if (input.value === String(index)) { found = input.parentNode.parentNode; } });
    return found;
  }
  function optionLabel(id, index) {
    var li = optionItem(id, index);
    return li ? li.querySelector(".letter").innerHTML + " " + li.querySelector(".option-text").innerHTML : "";
  }
  /* The right options as displayed: their current letters, in display order. */
  function answerLabels(id) {
    var want = {};
    var labels = [];
    each(byId[id].answer, function (i) { want[String(i)] = true; });
    each(inputs(id), function (input) {
      if (want[input.value]) { labels.push(optionLabel(id, input.value)); }
    });
    return labels.join("；");
  }
  /* Keeps the printed answer key naming the letters printed beside the options. */
  function showAnswer(id) {
    var kind = byId[id].kind;
    var text = items[id].querySelector(".answer-text");
    if (text && (kind === "single" || kind === "multiple")) { text.innerHTML = answerLabels(id); }
  }
  function describe(id, values) {
    var q = byId[id];
    var parts = [];
    each(values, function (v) {
      if (q.kind === "truefalse") { parts.push(t(v === "true" ? "true" : "false")); } else if (q.kind === "blank") { parts.push(escapeHtml(v)); } else { parts.push(optionLabel(id, v)); }
    });
    return parts.join("；");
  }
  function escapeHtml(s) {
    return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function reletter(id) {
    var ul = items[id].querySelector("ul.options");
    if (!ul || byId[id].kind === "truefalse") { return; }
    var lis = [];
    each(ul.children, function (li) { lis.push(li); });
    shuffle(lis);
    each(lis, function (li, i) {
      ul.appendChild(li);
      li.querySelector(".letter").innerHTML = LETTERS.charAt(i) + ".";
    });
  }

  function reset(id) {
    var li = items[id];
    li.className = "question";
    each(inputs(id), function (input) { input.checked = false; input.disabled = false; if (input.type === "text") { input.value = ""; } });
    var review = li.querySelector(".review");
    if (review) { review.parentNode.removeChild(review); }
    var details = li.querySelector("details");
    details.open = false;
    details.style.display = "none";
  }

  /* Starts an attempt on the given ids, drawing and shuffling as the bank asks. */
  function start(ids) {
    done = false;
    warned = false;
    each(data.questions, function (q) { reset(q.id); items[q.id].style.display = "none"; });
    current = data.shuffle ? shuffle(ids.slice()) : ids.slice();
    each(current, function (id) {
      items[id].style.display = "";
      list.appendChild(items[id]);
      if (data.shuffle) { reletter(id); }
      showAnswer(id);
    });
    hide(warning, true);
    submitButton.innerHTML = t("submit");
    hide(actions, false);
    hide(result, true);
    startTimer();
  }
  function drawn() {
    var all = [];
    each(data.questions, function (q) { all.push(q.id); });
    if (data.draw && data.draw < all.length) { return shuffle(all).slice(0, data.draw); }
    return all;
  }

  function startTimer() {
    stopTimer();
    if (!data.time_limit) { return; }
    var deadline = new Date().getTime() + data.time_limit * 60000;
    function tick() {
      var left = Math.max(0, Math.round((deadline - new Date().getTime()) / 1000));
      var m = Math.floor(left / 60);
      var sec = left % 60;
      status.innerHTML = fill(t("time_left"), { "": m + ":" + (sec < 10 ? "0" : "") + sec });
      if (left === 0) { stopTimer(); status.innerHTML = t("time_up"); grade(); }
    }
    tick();
    timer = window.setInterval(tick, 1000);
  }
  function stopTimer() {
    if (timer) { window.clearInterval(timer); timer = null; }
  }

  function submit(event) {
    if (event && event.preventDefault) { event.preventDefault(); }
    if (done) { return false; }
    var missing = [];
    each(current, function (id) {
      var blank = !answered(id);
      items[id].className = blank ? "question unanswered" : "question";
      if (blank) { missing.push(id); }
    });
    if (missing.length && !warned) {
      warned = true;
      warning.innerHTML = fill(t("unanswered"), { "": missing.length });
      hide(warning, false);
      submitButton.innerHTML = t("submit_anyway");
      return false;
    }
    grade();
    return false;
  }

  function grade() {
    if (done) { return; }
    done = true;
    stopTimer();
    wrong = [];
    each(current, function (id) {
      var ok = correct(id);
      if (!ok) { wrong.push(id); }
      review(id, ok);
    });
    var right = current.length - wrong.length;
    var score = current.length ? Math.round(right * 100 / current.length) : 0;
    var best = save(score);
    var text = fill(t("score"), { score: score, right: right, total: current.length, pass: pass });
    scoreEl.innerHTML = escapeHtml(text) + "<br>" + escapeHtml(t(score >= pass ? "passed" : "failed")) +
      "<br>" + escapeHtml(fill(t("best"), { "": best }));
    result.className = "quiz-result " + (score >= pass ? "passed" : "failed");
    hide(warning, true);
    hide(actions, true);
    hide(retryButton, wrong.length === 0);
    hide(result, false);
    result.focus();
  }

  function review(id, ok) {
    var li = items[id];
    var q = byId[id];
    li.className = "question " + (ok ? "right" : "wrong");
    each(inputs(id), function (input) { input.disabled = true; });
    var mine = answered(id) || q.kind === "blank" ? describe(id, given(id)) : t("no_answer");
    var p = document.createElement("p");
    p.className = "review";
    p.innerHTML = "<strong>" + t(ok ? "right" : "wrong") + "</strong> · " + t("your_answer") + "：" + (mine || t("no_answer"));
    var details = li.querySelector("details");
    details.parentNode.insertBefore(p, details);
    details.style.display = "";
    details.open = true;
  }

  function save(score) {
    var quizzes = load("qinglian.quiz");
    var rec = quizzes[data.id] || { best: 0, attempts: 0 };
    rec.best = Math.max(rec.best || 0, score);
    rec.last = score;
    rec.attempts = (rec.attempts || 0) + 1;
    rec.at = today();
    quizzes[data.id] = rec;
    store("qinglian.quiz", quizzes);
    if (module) {
      var modules = load("qinglian.modules");
      var m = modules[module.id] || { best: 0 };
      m.best = Math.max(m.best || 0, score);
      m.passed = m.best >= module.pass;
      m.at = today();
      modules[module.id] = m;
      store("qinglian.modules", modules);
      return m.best;
    }
    return rec.best;
  }

  form.onsubmit = submit;
  retryButton.onclick = function () { start(wrong.slice()); if (current.length) { items[current[0]].querySelector("input").focus(); } };
  document.getElementById("quiz-restart").onclick = function () { start(drawn()); if (current.length) { items[current[0]].querySelector("input").focus(); } };
  start(drawn());
})();
