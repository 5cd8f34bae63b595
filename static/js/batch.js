// Batch matching: as the coordinator ticks proposed matches, the "Confirm the
// ticked" button says how many it will make ("Confirm the 3 ticked matches"),
// and the line above it says so too, in a live region. Without this script the
// button says "Confirm only the ticked matches" in words, and the other button
// says it confirms all of them: nobody confirms more than they meant.
(() => {
  const start = () => {
    const form = document.querySelector("form[data-ticked-count]");
    const button = form && form.querySelector("#confirm-ticked");
    const status = document.getElementById("ticked-status");
    if (!button || !status) return;
    const boxes = form.querySelectorAll('input[type="checkbox"][name="ticked"]');
    const update = () => {
      const n = [...boxes].filter((box) => box.checked).length;
      const words = n === 0 ? button.dataset.none : n === 1 ? button.dataset.one : button.dataset.many;
      button.textContent = words.replace("%(n)s", n);
      status.textContent = status.dataset.words.replace("%(n)s", n);
    };
    form.addEventListener("change", update);
    // A page restored from the back button keeps its ticks: count them at once.
    update();
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
