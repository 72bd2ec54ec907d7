// Showcase editor: drag and drop to reorder items (the ↑ ↓ buttons do the same without
// script or a mouse), search-as-you-type in the item picker (keeping what is ticked), and
// captions saved as the learner leaves each one, with a warning before leaving the page
// while one is unsaved ("Save captions" saves them all without script).
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
        // Ticked items stay ticked (listed first) whatever the new search finds.
        target.querySelectorAll("input[name=items]:checked").forEach(function (box) {
          url.searchParams.append("chosen", box.value);
        });
        fetch(url.toString(), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.text() : null; })
          .then(function (html) { if (html !== null && asked === latest) target.innerHTML = html; });
      }, 250);
    });
  });

  var itemsForm = document.getElementById("items-form");
  var captions = Array.prototype.slice.call(document.querySelectorAll("textarea[data-save-url]"));
  var leavingByForm = false;
  // A caption is unsaved while it differs from what the server last stored (defaultValue),
  // or when the page came back from a refused save showing typed text (data-unsaved).
  function unsaved(area) {
    return area.value !== area.defaultValue || area.hasAttribute("data-unsaved");
  }
  function say(area, key) {
    var status = document.getElementById(area.id + "-status");
    if (status) {
      status.textContent = key ? itemsForm.getAttribute("data-say-" + key) : "";
      status.setAttribute("data-state", key);
    }
  }
  function save(area) {
    var sent = area.value;
    var body = new URLSearchParams();
    body.append("caption", sent);
    say(area, "saving");
    fetch(area.getAttribute("data-save-url"), {
      method: "POST", credentials: "same-origin", keepalive: true, body: body,
      headers: { "X-CSRFToken": token ? token.value : "", "Accept": "application/json" },
    })
      .then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        area.defaultValue = sent;
        area.removeAttribute("data-unsaved");
        say(area, unsaved(area) ? "unsaved" : "saved");
      })
      .catch(function () { say(area, "failed"); });
  }
  captions.forEach(function (area) {
    area.addEventListener("input", function () { say(area, unsaved(area) ? "unsaved" : ""); });
    area.addEventListener("change", function () { save(area); }); // on leaving a changed field
  });
  if (itemsForm) {
    // The form's own buttons save every caption, so leaving through them loses nothing.
    itemsForm.addEventListener("submit", function () { leavingByForm = true; });
  }
  window.addEventListener("beforeunload", function (e) {
    if (leavingByForm || !captions.some(unsaved)) return;
    e.preventDefault();
    e.returnValue = ""; // older browsers need a value set to show the warning
  });
  window.addEventListener("pageshow", function () { leavingByForm = false; });
})();
