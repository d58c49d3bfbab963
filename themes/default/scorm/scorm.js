/* Qinglian in a SCORM 1.2 package ("qinglian export scorm"; never in a normal build): finds
   the learning platform's API, keeps one session while the learner moves between the
   module's pages, and reports the first complete self-test (score, passed/failed, time) without
   undoing a pass or a better score the platform already holds, or "completed" once every
   reading has been opened. Without an API the pages behave exactly as on the site. Plain ES5, no network of its own: only the platform's API object is called. */
(function () {
  "use strict";
  var el = document.getElementById("qinglian-scorm");
  var cfg = null;
  try { cfg = JSON.parse(el.textContent || el.innerText); } catch (e) { return; }
  if (!cfg) { return; }

  /* The standard search: a window and its parents, at most seven levels up. */
  function search(win) {
    for (var level = 0; win && level <= 7; level++) {
      try { if (win.API) { return win.API; } } catch (e) { /* a frame of another site */ }
      if (!win.parent || win.parent === win) { return null; }
      win = win.parent;
    }
    return null;
  }
  /* This window's chain, then the window that opened it (or opened its top window). */
  function findAPI() {
    var api = search(window);
    try { if (!api && window.opener) { api = search(window.opener); } } catch (e) { /* closed */ }
    try { if (!api && window.top.opener) { api = search(window.top.opener); } } catch (e) { /* closed */ }
    return api;
  }

  /* The session of the launch page this page is shown in, if there is one. */
  function launcherSession() {
    var win = window;
    for (var level = 0; level < 8 && win.parent && win.parent !== win; level++) {
      win = win.parent;
      try { if (win.QinglianScormSession) { return win.QinglianScormSession; } } catch (e) { return null; }
    }
    return null;
  }

  /* HHHH:MM:SS.SS, as SCORM 1.2 writes a time span. */
  function timespan(ms) {
    function pad(n, width) { n = String(n); while (n.length < width) { n = "0" + n; } return n; }
    var cs = Math.max(0, Math.round(ms / 10));
    var h = Math.min(9999, Math.floor(cs / 360000));
    return pad(h, 4) + ":" + pad(Math.floor(cs / 6000) % 60, 2) + ":" + pad(Math.floor(cs / 100) % 60, 2) + "." + pad(cs % 100, 2);
  }

  /* One LMS session: LMSInitialize now, LMSFinish after a reported result or when the window
     that opened the session goes away. */
  function session(api) {
    var started = new Date().getTime();
    var s = { finished: false, completed: false, seen: {} };
    function call(name, args) {
      try { return String(api[name].apply(api, args)); } catch (e) { return "false"; }
    }
    function set(key, value) { return call("LMSSetValue", [key, value]); }
    call("LMSInitialize", [""]);
    /* What the platform kept from earlier openings: a pass and the best score stay. */
    var before = call("LMSGetValue", ["cmi.core.lesson_status"]);
    var best = parseFloat(call("LMSGetValue", ["cmi.core.score.raw"]));
    if (before === "not attempted" || before === "") { set("cmi.core.lesson_status", "incomplete"); }
    s.finish = function () {
      if (s.finished) { return; }
      s.finished = true;
      set("cmi.core.session_time", timespan(new Date().getTime() - started));
      call("LMSCommit", [""]);
      call("LMSFinish", [""]);
    };
    /* A complete attempt: its score when it beats the one the platform has, the status of the
       best score unless a pass is recorded, then the session ends. Returns whether the
       platform now holds this attempt's result (not an earlier, better one). */
    s.attempt = function (score, pass) {
      var better = isNaN(best) || score > best;
      if (better) {
        set("cmi.core.score.min", "0");
        set("cmi.core.score.max", "100");
        set("cmi.core.score.raw", String(score));
      }
      var top = better ? score : best;
      if (before !== "passed") { set("cmi.core.lesson_status", top >= pass ? "passed" : "failed"); }
      s.finish();
      return isNaN(best) || score >= best;
    };
    s.complete = function () {
      if (s.finished || s.completed) { return false; }
      s.completed = true;
      if (before !== "passed") { set("cmi.core.lesson_status", "completed"); }
      call("LMSCommit", [""]);
      return true;
    };
    return s;
  }

  function leaving(fn) {
    if (window.addEventListener) {
      window.addEventListener("pagehide", fn, false);
      window.addEventListener("unload", fn, false);
    } else if (window.attachEvent) {
      window.attachEvent("onunload", fn);
    }
  }

  var s = launcherSession();
  if (!s) {
    var api = findAPI();
    if (!api) { return; }
    s = session(api);
    window.QinglianScormSession = s;
    leaving(s.finish);
  }
  if (cfg.launch || !document.body) { return; }

  function t(key) { return (cfg.strings && cfg.strings["scorm." + key]) || ""; }
  function escapeHtml(text) { return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"); }
  /* A short status line: under the self-test result, else at the top of the page. */
  function note(text, where) {
    var old = document.getElementById("scorm-note");
    if (old) { old.parentNode.removeChild(old); }
    var p = document.createElement("p");
    p.id = "scorm-note";
    p.className = "notice";
    p.setAttribute("role", "status");
    p.innerHTML = escapeHtml(text);
    if (where && where.nextSibling) { where.parentNode.insertBefore(p, where.nextSibling); } else if (where) { where.parentNode.appendChild(p); } else {
      var main = document.getElementById("main") || document.body;
      main.insertBefore(p, main.firstChild);
    }
  }
  function visited() {
    try { return JSON.parse(window.localStorage.getItem("qinglian.visited") || "{}") || {}; } catch (e) { return {}; }
  }
  function readEverything() {
    var stored = visited();
    for (var i = 0; i < cfg.readings.length; i++) {
      if (!s.seen[cfg.readings[i]] && !stored[cfg.readings[i]]) { return false; }
    }
    return true;
  }

  var path = document.body.getAttribute("data-path");
  if (path) { s.seen[path] = 1; }
  if (!cfg.quiz && readEverything() && (s.complete() || s.completed)) { note(t("completed")); }
  var notice = document.querySelector && document.querySelector(".quiz-page .notice");
  if (cfg.quiz && notice) { notice.innerHTML = escapeHtml(t("notice")); }

  /* Called by the self-test script after each complete attempt. */
  window.QinglianScorm = {
    attempt: function (score) {
      var result = document.getElementById("quiz-score");
      if (s.finished) { note(t("not_reported"), result); return false; }
      note(t(s.attempt(score, cfg.pass === null ? 0 : cfg.pass) ? "reported" : "kept"), result);
      return true;
    }
  };
})();
