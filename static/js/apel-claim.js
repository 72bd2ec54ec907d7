// APEL claim page: after a change the server sends the page back to the section it was
// made in (#outcome-..., #summary, #credential-...), which says what changed in a status
// line. Put keyboard focus on that line, so a screen reader reads what happened and the
// next Tab continues from there. Without script the browser still scrolls to (and
// focuses) the section. The browser focuses the fragment's section itself once the page
// has loaded, so the status line takes focus after that.
// When a change was refused, the page comes back with the typed text and the error next
// to it (and a summary at the top linking there): focus goes to the field in error.
(function () {
  "use strict";
  var id = window.location.hash.slice(1);
  var section = id && document.getElementById(decodeURIComponent(id));
  var target = section && section.querySelector("[data-said]");
  if (!target) {
    target = document.querySelector(
      "main [aria-invalid='true'], main .field--error input, main .field--error textarea"
    );
  }
  if (!target) return;
  function place() {
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "center" });
  }
  if (document.readyState === "complete") {
    place();
  } else {
    window.addEventListener("load", function () { window.setTimeout(place, 0); });
  }
})();
