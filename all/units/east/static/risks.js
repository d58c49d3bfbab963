/* Qinglian risk register: filter the table by department and level, print what is shown.
   Without this script the whole table shows and prints. Plain ES5. */
(function () {
  "use strict";
  var form = document.getElementById("risk-filter");
  var table = document.getElementById("risk-table");
  if (!form || !table || !document.querySelectorAll) { return; }
  var department = document.getElementById("risk-department");
  var level = document.getElementById("risk-level");
  var count = document.getElementById("risk-count");
  var rows = table.querySelectorAll("tbody tr");

  function hide(el, on) {
    if (on) { el.setAttribute("hidden", "hidden"); } else { el.removeAttribute("hidden"); }
  }
  function apply() {
    var d = department.value, l = level.value, shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      var keep = (!d || row.getAttribute("data-department") === d) &&
        (!l || row.getAttribute("data-level") === l);
      hide(row, !keep);
      if (keep) { shown++; }
    }
    count.innerHTML = "";
    count.appendChild(document.createTextNode(
      count.getAttribute("data-template").replace("{shown}", shown).replace("{total}", rows.length)));
  }
  /* A filter chosen earlier (or by a link: ?department=…&level=…) is applied on load. */
  function fromQuery() {
    var q = window.location.search.replace(/^\?/, "").split("&");
    for (var i = 0; i < q.length; i++) {
      var kv = q[i].split("=");
      var value = kv.length > 1 ? decodeURIComponent(kv[1].replace(/\+/g, " ")) : "";
      if (kv[0] === "department") { department.value = value; }
      if (kv[0] === "level") { level.value = value; }
    }
  }
  try { fromQuery(); } catch (e) { /* a malformed address: show everything */ }
  department.onchange = apply;
  level.onchange = apply;
  document.getElementById("risk-print").onclick = function () { window.print(); };
  hide(form, false);
  apply();
})();
