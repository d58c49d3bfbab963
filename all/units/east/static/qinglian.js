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
  dismissableReminders();

  /* A festival reminder closed once stays closed for this visit (the browser session). */
  function dismissableReminders() {
    if (!document.querySelectorAll) { return; }
    var KEY = "qinglian.dismissed", closed = "";
    try { closed = window.sessionStorage.getItem(KEY) || ""; } catch (e) { /* not kept */ }
    var banners = document.querySelectorAll("[data-reminder]");
    for (var i = 0; i < banners.length; i++) { setUp(banners[i]); }
    function setUp(banner) {
      var key = "|" + banner.getAttribute("data-reminder") + "|";
      if (closed.indexOf(key) !== -1) { banner.setAttribute("hidden", "hidden"); return; }
      var close = banner.querySelector(".reminder-close");
      close.removeAttribute("hidden");
      close.onclick = function () {
        banner.setAttribute("hidden", "hidden");
        closed += key;
        try { window.sessionStorage.setItem(KEY, closed); } catch (e) { /* closed for this page only */ }
        var main = document.getElementById("main");
        if (main) { main.focus(); }
      };
    }
  }
  menuOpenOnWideScreens();

  /* The menu folds behind its summary on phones only. The stylesheet holds it open on wider
     screens where it can (::details-content); elsewhere it is opened here, and folded again
     when the window narrows to a phone's. */
  function menuOpenOnWideScreens() {
    var menu = document.getElementById("site-menu");
    if (!menu || !window.matchMedia) { return; }
    var wide = window.matchMedia("(min-width: 40.0625rem)");
    function fit() {
      if (wide.matches) { menu.setAttribute("open", ""); } else { menu.removeAttribute("open"); }
    }
    if (wide.matches) { fit(); }
    if (wide.addEventListener) { wide.addEventListener("change", fit); } else if (wide.addListener) { wide.addListener(fit); }
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
