// The main menu is a <details> disclosure that works without this script. The script
// keeps it open on wide screens (where CSS shows the links in a row), closed when the
// screen turns narrow, states aria-expanded on its button, and closes it with Escape
// (focus back on the button) or a click elsewhere.
(() => {
  const menu = document.querySelector("[data-site-menu]");
  if (!menu) return;
  const toggle = menu.querySelector("summary");
  const wide = window.matchMedia("(min-width: 48em)");
  const sync = () => toggle.setAttribute("aria-expanded", String(menu.open));
  const fit = () => {
    menu.open = wide.matches;
    sync();
  };
  fit();
  wide.addEventListener("change", fit);
  menu.addEventListener("toggle", sync);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && menu.open && !wide.matches) {
      menu.open = false;
      toggle.focus();
    }
  });
  document.addEventListener("click", (event) => {
    if (menu.open && !wide.matches && !menu.contains(event.target)) menu.open = false;
  });
})();
