// Ask again about once a minute for what is new, while the page is on screen:
// an element with data-poll-seconds gets an htmx "poll" event, never while the tab
// is hidden, and once at once when the person comes back to it.
(function () {
  "use strict";
  function pollAll() {
    if (document.hidden || !window.htmx) return;
    document.querySelectorAll("[data-poll-seconds]").forEach(function (el) {
      htmx.trigger(el, "poll");
    });
  }
  function start() {
    var el = document.querySelector("[data-poll-seconds]");
    if (!el) return;
    var seconds = Math.max(15, parseInt(el.getAttribute("data-poll-seconds"), 10) || 60);
    window.setInterval(pollAll, seconds * 1000);
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) pollAll();
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
