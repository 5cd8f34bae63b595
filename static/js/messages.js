// A confirmation ("Your goal is set. What could a first small step be?") belongs
// to the page it came with. A new page clears it; so does the person's next
// action on the same page, when htmx sends it without a new page (adding a step,
// ticking one). The bell asking for news on its own is no action of theirs.
(() => {
  document.addEventListener("htmx:beforeRequest", (event) => {
    const source = event.detail && event.detail.elt;
    if (source && source.closest("[data-poll-seconds]")) return;
    const region = document.getElementById("site-messages");
    if (region) region.replaceChildren();
  });
})();
