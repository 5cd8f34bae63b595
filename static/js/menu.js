// The header's "Menu" is a <details>: it opens and closes without this script.
// With it, Escape closes the menu (the focus, if it was in it, goes back to
// "Menu"), and a tap outside the open menu closes it, as people expect of a menu.
(() => {
  const menus = () => document.querySelectorAll("details.menu[open]");
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    menus().forEach((menu) => {
      const inside = menu.contains(document.activeElement);
      menu.open = false;
      if (inside) menu.querySelector("summary").focus();
    });
  });
  document.addEventListener("click", (event) => {
    menus().forEach((menu) => {
      if (!menu.contains(event.target)) menu.open = false;
    });
  });
})();
