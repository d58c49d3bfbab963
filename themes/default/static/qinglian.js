/* Qinglian: small progressive enhancements. Plain ES5, no dependencies, no network. */
(function () {
  "use strict";
  var KEY = "qinglian.large";
  rememberVisit();

  /* Study progress counts a reading as done once its page has been opened. */
  function rememberVisit() {
    try {
      var visited = JSON.parse(window.localStorage.getItem("qinglian.visited") || "{}") || {};
      visited[document.body.getAttribute("data-path") || window.location.pathname] = 1;
      window.localStorage.setItem("qinglian.visited", JSON.stringify(visited));
    } catch (e) { /* storage off or full: progress is not kept */ }
  }
  var root = document.documentElement;
  var button = document.getElementById("text-size");
  if (!button) { return; }

  function store(on) {
    try { window.localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode: not remembered */ }
  }
  function isLarge() { return (" " + root.className + " ").indexOf(" large ") !== -1; }
  function apply(on) {
    var classes = root.className.replace(/(^|\s)large(\s|$)/g, " ").replace(/^\s+|\s+$/g, "");
    root.className = on ? (classes ? classes + " large" : "large") : classes;
    button.setAttribute("aria-pressed", on ? "true" : "false");
  }

  apply(isLarge());
  button.removeAttribute("hidden");
  button.onclick = function () {
    var on = !isLarge();
    apply(on);
    store(on);
  };
})();
