// "Print my plan": shown only where this script runs (without it, the page says
// to use the browser's own Print, which gives the same one page).
(() => {
  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-print]").forEach((button) => {
      button.hidden = false;
      button.addEventListener("click", () => window.print());
    });
  });
})();
