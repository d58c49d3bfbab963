/* Qinglian self-test: draw, shuffle, score, review, retry. Plain ES5. No network, except
   xAPI statements to the learning record store named in the address when a learning platform
   launched the page (see xapiLaunch). In a SCORM package, each complete attempt is also
   handed to the package's script (scorm.js). Without this script the page still lists every
   question with its answer. */
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
  var full = false;
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
    try { return m ? decodeURIComponent(m[1]) : null; } catch (e) { return null; }
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

  /* Starts an attempt on the given ids, drawing and shuffling as the bank asks; a complete
     attempt (not a retry of the wrong ones) is reported where the page was launched from. */
  function start(ids, complete) {
    done = false;
    full = complete;
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
    keyInOrder();
    startTimer();
    if (full) { xapiAttempted(); }
  }
  /* The printed key lists the questions shown, in their order, with the letters they show. */
  function keyInOrder() {
    var key = document.querySelector("#quiz-key .key-list");
    if (!key) { return; }
    var entries = {};
    each(key.querySelectorAll("li[data-key]"), function (li) { entries[li.getAttribute("data-key")] = li; li.style.display = "none"; });
    each(current, function (id) {
      var li = entries[id];
      if (!li) { return; }
      var text = items[id].querySelector(".answer-text");
      if (text) { li.querySelector(".key-answer").innerHTML = text.innerHTML; }
      li.style.display = "";
      key.appendChild(li);
    });
  }
  /* Printing on screen: the paper as shown, or a freshly drawn and shuffled set. */
  function paperButtons() {
    var box = document.getElementById("paper-actions");
    if (!box || !window.print) { return; }
    hide(box, false);
    document.getElementById("paper-print").onclick = function () { window.print(); };
    var fresh = document.getElementById("paper-fresh");
    if (fresh) { fresh.onclick = function () { start(drawn(), false); window.print(); }; }
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
    if (full) { reportAttempt(score); }
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

  /* A complete attempt, to the SCORM package's script and the xAPI record store, if any. */
  function reportAttempt(score) {
    if (window.QinglianScorm) { window.QinglianScorm.attempt(score); }
    if (!xapi) { return; }
    var statements = [];
    each(current, function (id) {
      statements.push(statement("answered", xapiQuestion(byId[id]), { response: xapiResponse(id), success: correct(id) }, true));
    });
    var ms = new Date().getTime() - xapi.started;
    var passed = score >= pass;
    statements.push(statement(passed ? "passed" : "failed", xapiActivity(), {
      score: { scaled: score / 100, raw: score, min: 0, max: 100 },
      success: passed, completion: true, duration: isoDuration(ms)
    }));
    statements.push(statement("completed", xapiActivity(), { completion: true, duration: isoDuration(ms) }));
    xapiSend(statements);
  }

  /* xAPI: a learning platform that opens this page with the TinCan launch parameters
     (endpoint, auth, actor, registration, optionally activity_id) gets statements about each
     complete attempt. The parameters stay in this page's memory: nothing is stored, and
     nothing is sent without them. */
  var xapiRefused = false;
  var xapi = xapiLaunch();
  function xapiLaunch() {
    var endpoint = param("endpoint");
    var auth = param("auth");
    var actor = null;
    try { actor = JSON.parse(param("actor") || "null"); } catch (e) { return null; }
    if (!endpoint || !auth || !actor || typeof actor !== "object" || !window.XMLHttpRequest) { return null; }
    var allowed = xapiEndpoint(window.location.protocol, endpoint);
    xapiRefused = allowed === "insecure";
    if (allowed !== "ok") { return null; }
    var registration = param("registration") || "";
    var uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    return {
      endpoint: endpoint.charAt(endpoint.length - 1) === "/" ? endpoint : endpoint + "/",
      auth: auth,
      actor: actor,
      registration: uuid.test(registration) ? registration : null,
      activity: param("activity_id") || window.location.href.split(/[?#]/)[0],
      lang: document.documentElement.lang || "zh-CN",
      started: new Date().getTime()
    };
  }
  /* Whether statements may go to endpoint from a page of protocol: only to http(s), and
     from an https page not to plain http, where the learner's credentials would travel
     unencrypted (the browser blocks that request anyway): "ok", "insecure" or "no". */
  function xapiEndpoint(protocol, endpoint) {
    if (!/^https?:\/\//i.test(endpoint)) { return "no"; }
    return protocol === "https:" && /^http:/i.test(endpoint) ? "insecure" : "ok";
  }
  /* Says on the page that answers go to the platform (instead of "not uploaded"). */
  function xapiNotice() {
    var notice = document.querySelector(".quiz-page .notice");
    if (!notice || !(xapi || xapiRefused)) { return; }
    notice.innerHTML = t(xapi ? "xapi_sent" : "xapi_insecure");
  }
  function xapiAttempted() {
    if (!xapi) { return; }
    xapi.started = new Date().getTime();
    xapiSend(statement("attempted", xapiActivity()));
  }
  function statement(verb, object, result, inAttempt) {
    var s = {
      actor: xapi.actor,
      verb: { id: "http://adlnet.gov/expapi/verbs/" + verb, display: { "en-US": verb } },
      object: object,
      timestamp: new Date().toISOString()
    };
    var context = {};
    if (xapi.registration) { context.registration = xapi.registration; s.context = context; }
    if (inAttempt) { context.contextActivities = { parent: [{ objectType: "Activity", id: xapi.activity }] }; s.context = context; }
    if (result) { s.result = result; }
    return s;
  }
  function langMap(text) { var m = {}; m[xapi.lang] = text; return m; }
  function xapiActivity() {
    var h1 = document.querySelector("h1");
    return {
      objectType: "Activity",
      id: xapi.activity,
      definition: { type: "http://adlnet.gov/expapi/activities/assessment", name: langMap(h1 ? h1.innerText || h1.textContent : document.title) }
    };
  }
  /* A question as an xAPI interaction; choices are identified by their original order. */
  function xapiQuestion(q) {
    var types = { single: "choice", multiple: "choice", truefalse: "true-false", blank: "fill-in" };
    var def = { type: "http://adlnet.gov/expapi/activities/cmi.interaction", interactionType: types[q.kind], name: langMap(q.stem) };
    var right = [];
    if (q.kind === "truefalse") { right = [String(q.answer)]; } else if (q.kind === "blank") {
      each(q.answer, function (alts) { right.push(alts[0]); });
    } else {
      each(q.answer, function (i) { right.push(String(i)); });
      def.choices = [];
      each(q.options, function (text, i) { def.choices.push({ id: String(i), description: langMap(text) }); });
    }
    def.correctResponsesPattern = [right.join("[,]")];
    return { objectType: "Activity", id: xapi.activity.split("#")[0] + "#" + encodeURIComponent(q.id), definition: def };
  }
  function xapiResponse(id) {
    var g = given(id);
    if (byId[id].kind !== "blank") { g.sort(); }
    return g.join("[,]");
  }
  /* ISO 8601: PT1H2M3.4S. */
  function isoDuration(ms) {
    var cs = Math.max(0, Math.round(ms / 10));
    var h = Math.floor(cs / 360000);
    var m = Math.floor(cs / 6000) % 60;
    return "PT" + (h ? h + "H" : "") + (h || m ? m + "M" : "") + (cs % 6000) / 100 + "S";
  }
  /* POSTs statements to the record store; a store that cannot be reached stops nothing. */
  function xapiSend(statements) {
    try {
      var req = new XMLHttpRequest();
      req.open("POST", xapi.endpoint + "statements", true);
      req.setRequestHeader("Authorization", xapi.auth);
      req.setRequestHeader("X-Experience-API-Version", "1.0.3");
      req.setRequestHeader("Content-Type", "application/json");
      req.send(JSON.stringify(statements));
    } catch (e) { /* the self-test goes on */ }
  }

  form.onsubmit = submit;
  retryButton.onclick = function () { start(wrong.slice(), false); if (current.length) { items[current[0]].querySelector("input").focus(); } };
  document.getElementById("quiz-restart").onclick = function () { start(drawn(), true); if (current.length) { items[current[0]].querySelector("input").focus(); } };
  xapiNotice();
  paperButtons();
  start(drawn(), true);
})();
