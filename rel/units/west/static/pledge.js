/* Qinglian pledge: the name, department and date typed on the page fill the printed sheet.
   They are kept in this browser only (localStorage), never sent anywhere. Plain ES5. */
(function () {
  "use strict";
  var form = document.getElementById("pledge-form");
  if (!form || !window.JSON) { return; }
  var KEY = "qinglian.pledge";
  var fields = ["name", "department", "date"];

  function load() {
    try { return JSON.parse(window.localStorage.getItem(KEY) || "{}") || {}; } catch (e) { return {}; }
  }
  function save(values) {
    try { window.localStorage.setItem(KEY, JSON.stringify(values)); } catch (e) { /* not kept */ }
  }
  function today() {
    var d = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
  }
  function show(field, value) {
    var out = document.getElementById("pledge-" + field + "-out");
    out.innerHTML = "";
    out.appendChild(document.createTextNode(value || "\u00a0"));
  }
  function update() {
    var values = load();
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      values[f] = document.getElementById("pledge-" + f).value;
      show(f, values[f]);
    }
    save(values);
  }
  var stored = load();
  for (var i = 0; i < fields.length; i++) {
    var input = document.getElementById("pledge-" + fields[i]);
    input.value = stored[fields[i]] || (fields[i] === "date" ? today() : "");
    show(fields[i], input.value);
    input.onchange = update;
    input.onkeyup = update;
  }
  document.getElementById("pledge-print").onclick = function () { update(); window.print(); };
  form.removeAttribute("hidden");
})();
