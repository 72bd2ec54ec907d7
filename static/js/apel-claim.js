// APEL claim page: after a change the server sends the page back to the section it was
// made in (#outcome-..., #summary, #credential-...), which says what changed in a status
// line. Put keyboard focus on that line, so a screen reader reads what happened and the
// next Tab continues from there. Without script the browser still scrolls to (and
// focuses) the section. The browser focuses the fragment's section itself once the page
// has loaded, so the status line takes focus after that.
(function () {
  "use strict";
  var id = window.location.hash.slice(1);
  var section = id && document.getElementById(decodeURIComponent(id));
  var said = section && section.querySelector("[data-said]");
  if (!said) return;
  function place() {
    said.focus({ preventScroll: true });
    said.scrollIntoView({ block: "center" });
  }
  if (document.readyState === "complete") {
    place();
  } else {
    window.addEventListener("load", function () { window.setTimeout(place, 0); });
  }
})();
