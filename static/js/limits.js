// As a person nears a text field's limit, the line under it says how many
// characters are left (or how many too many). Without this script the line
// says the limit in words, and the form refuses too much text in words; no
// browser cuts it. The server counts a new line as two characters, so this does.
// A screen reader hears it only when it changes state (near the limit, over
// it, back under), through the page's one live region, not on every key.
(() => {
  const NEAR = 0.8;
  const count = (text) => [...text].length + (text.match(/\n/g) || []).length;
  const update = (field) => {
    const limit = Number(field.dataset && field.dataset.limit);
    const line = limit && document.getElementById(`${field.id}_limit`);
    if (!line) return;
    line.dataset.words = line.dataset.words || line.textContent;
    const left = limit - count(field.value);
    let state = "fine";
    if (left < 0) {
      state = "over";
      line.textContent = line.dataset.over.replace("%(n)s", -left);
    } else if (left <= limit * (1 - NEAR)) {
      state = "near";
      line.textContent = line.dataset.left.replace("%(n)s", left);
    } else {
      line.textContent = line.dataset.words;
    }
    line.classList.toggle("over", state === "over");
    if (state !== (field.dataset.limitState || "fine")) {
      const announce = document.getElementById("announce");
      if (announce) announce.textContent = line.textContent;
    }
    field.dataset.limitState = state;
  };
  document.addEventListener("input", (event) => update(event.target));
  const all = () => document.querySelectorAll("[data-limit]").forEach(update);
  // Text the server gave back (a refused form) is counted at once, and after htmx swaps.
  document.addEventListener("DOMContentLoaded", all);
  document.addEventListener("htmx:afterSettle", all);
})();
