// The safety and wellness plan pages. Without this script every button is a plain
// form and the page comes back to the part that changed; the browser's own Print
// prints the plan alone.
(() => {
  // "Print my plan", shown only where it works.
  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-print]").forEach((button) => {
      button.hidden = false;
      button.addEventListener("click", () => window.print());
    });
  });

  // Where the keyboard focus goes after htmx swaps a part of the plan. Never away
  // from wherever the person has moved on to meanwhile (another part's box): only
  // focus that was in the swapped part, and is now lost or on its Add button, moves.
  let before = "";
  document.addEventListener("htmx:beforeSwap", (event) => {
    const part = event.detail.target;
    const active = document.activeElement;
    before = part.contains(active) ? active.id || "here" : "";
  });
  document.addEventListener("htmx:afterSettle", (event) => {
    const part = document.getElementById(event.detail.target.id);
    if (!before || !part || !part.classList.contains("plan-section")) return;
    const now = document.activeElement;
    const lost = !now || now === document.body;
    if (!lost && !(part.contains(now) && now.matches("button[id^='add-']"))) return;
    // An item moved to the top (or the bottom): its other move button.
    const moved = /^(up|down)-(\d+)$/.exec(before);
    const other = moved && document.getElementById(
      `${moved[1] === "up" ? "down" : "up"}-${moved[2]}`,
    );
    // Else the box that was refused, or the box for the next item.
    const box = part.querySelector("[aria-invalid='true']")
      || part.querySelector("input[name='text']");
    const target = other || box;
    if (target) target.focus();
  });
})();
