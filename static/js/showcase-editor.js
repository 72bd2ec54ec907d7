// Showcase editor: drag and drop to reorder items (the ↑ ↓ buttons do the same without
// script or a mouse), and search-as-you-type in the item picker.
(function () {
  "use strict";
  var token = document.querySelector("input[name=csrfmiddlewaretoken]");

  // After moving an item, adding items or a section, the server sends the page back to
  // #item-N or #section-N. Put keyboard focus there too, so the next Tab continues from
  // what was just changed instead of from the top of the page.
  var changed = window.location.hash && document.getElementById(window.location.hash.slice(1));
  if (changed && changed.matches(".editor-item, .editor-section")) {
    changed.setAttribute("tabindex", "-1");
    changed.focus({ preventScroll: true });
  }

  document.querySelectorAll("[data-reorder-url]").forEach(function (list) {
    var dragged = null;
    list.addEventListener("dragstart", function (e) {
      dragged = e.target.closest("[data-item-id]");
      if (dragged) { dragged.classList.add("dragging"); e.dataTransfer.effectAllowed = "move"; }
    });
    list.addEventListener("dragover", function (e) {
      var over = e.target.closest("[data-item-id]");
      if (!dragged || !over || over === dragged) return;
      e.preventDefault();
      var box = over.getBoundingClientRect();
      list.insertBefore(dragged, e.clientY > box.top + box.height / 2 ? over.nextSibling : over);
    });
    list.addEventListener("dragend", function () {
      if (!dragged) return;
      dragged.classList.remove("dragging");
      dragged = null;
      var ids = Array.prototype.map.call(list.querySelectorAll("[data-item-id]"), function (li) {
        return Number(li.getAttribute("data-item-id"));
      });
      fetch(list.getAttribute("data-reorder-url"), {
        method: "POST", credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "", "Content-Type": "application/json" },
        body: JSON.stringify(ids),
      });
    });
  });

  document.querySelectorAll("[data-picker-url]").forEach(function (input) {
    var timer = null;
    var latest = 0; // answers can arrive out of order; only the newest search is shown
    var target = document.getElementById(input.getAttribute("data-picker-target"));
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var asked = ++latest;
        var url = new URL(input.getAttribute("data-picker-url"), window.location.href);
        url.searchParams.set("q", input.value);
        fetch(url.toString(), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.text() : null; })
          .then(function (html) { if (html !== null && asked === latest) target.innerHTML = html; });
      }, 250);
    });
  });
})();
