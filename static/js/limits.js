// As a person nears a text field's limit, the line under it says how many
// characters are left (or how many too many). Without this script the line
// says the limit in words, and the form refuses too much text in words; no
// browser cuts it. The server counts a new line as two characters, so this does.
(() => {
  const NEAR = 0.8;
  const count = (text) => [...text].length + (text.match(/\n/g) || []).length;
  document.addEventListener("input", (event) => {
    const field = event.target;
    const limit = Number(field.dataset && field.dataset.limit);
    const line = limit && document.getElementById(`${field.id}_limit`);
    if (!line) return;
    line.dataset.words = line.dataset.words || line.textContent;
    const left = limit - count(field.value);
    if (left > limit * (1 - NEAR)) {
      line.textContent = line.dataset.words;
    } else if (left >= 0) {
      line.textContent = line.dataset.left.replace("%(n)s", left);
    } else {
      line.textContent = line.dataset.over.replace("%(n)s", -left);
    }
    line.classList.toggle("over", left < 0);
  });
})();
