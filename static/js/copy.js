// "Copy the link" beside a link a coordinator hands over (an invitation, a
// set-your-password link). Without this script the link is text to select; with
// it, the button shows where the browser can copy, copies in one tap, and the
// page's live region says it did. If copying is refused, the text is selected.
(() => {
  const say = (words) => {
    const announce = document.getElementById("announce");
    if (announce) announce.textContent = words;
  };
  const start = () => {
    document.querySelectorAll("button[data-copy]").forEach((button) => {
      const source = document.getElementById(button.dataset.copy);
      if (!source || !navigator.clipboard || button.dataset.copyReady) return;
      button.dataset.copyReady = "1";
      button.hidden = false;
      button.addEventListener("click", async () => {
        try {
          await navigator.clipboard.writeText(source.value || source.textContent.trim());
          say(button.dataset.copied);
        } catch (error) {
          source.focus();
          if (source.select) source.select();
          say(button.dataset.failed);
        }
      });
    });
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
