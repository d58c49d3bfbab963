/* Qinglian study progress: readings opened, best scores and module status, kept in this
   browser only; fills module pages and the printable study record. Plain ES5. */
(function () {
  "use strict";
  var dataEl = document.getElementById("study-data");
  if (!dataEl || !window.JSON || !document.querySelector) { return; }
  var modules = JSON.parse(dataEl.textContent || dataEl.innerText);
  var strings = document.documentElement.lang === "en" ?
    { not_started: "Not started", in_progress: "In progress", passed: "Completed", best: "best" } :
    { not_started: "未开始", in_progress: "学习中", passed: "已完成", best: "最好成绩" };

  /* IE11 has no "hidden" property: set the attribute itself. */
  function hide(el, on) {
    if (on) { el.setAttribute("hidden", "hidden"); } else { el.removeAttribute("hidden"); }
  }
  function load(key) {
    try { return JSON.parse(window.localStorage.getItem(key) || "{}") || {}; } catch (e) { return {}; }
  }
  function each(nodes, fn) { for (var i = 0; i < nodes.length; i++) { fn(nodes[i], i); } }
  var visited = load("qinglian.visited");
  var quizzes = load("qinglian.quiz");
  var records = load("qinglian.modules");

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

  var form = document.getElementById("record-form");
  if (!form) { return; }
  var name = document.getElementById("record-name");
  var date = document.getElementById("record-date");
  function two(n) { return (n < 10 ? "0" : "") + n; }
  var d = new Date();
  date.value = d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
  try { name.value = window.localStorage.getItem("qinglian.name") || ""; } catch (e) { /* empty */ }
  function copy() {
    document.getElementById("record-name-out").innerHTML = name.value ? name.value.replace(/&/g, "&amp;").replace(/</g, "&lt;") : "＿＿＿＿＿＿";
    document.getElementById("record-date-out").innerHTML = date.value || "＿＿＿＿＿＿";
    try { window.localStorage.setItem("qinglian.name", name.value); } catch (e) { /* not kept */ }
  }
  name.onchange = name.onkeyup = date.onchange = copy;
  copy();
  hide(form, false);
  form.onsubmit = function () { return false; };
  document.getElementById("record-print").onclick = function () { copy(); window.print(); };
})();
