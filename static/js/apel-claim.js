// APEL claim page: after a change the server sends the page back to the section it was
// made in (#outcome-..., #summary, #credential-...), which says what changed in a status
// line. Put keyboard focus on that line (or the section), so the next Tab continues from
// there and a screen reader reads what happened. Without script the browser still
// scrolls to the section.
(function () {
  "use strict";
  var id = window.location.hash.slice(1);
  var section = id && document.getElementById(decodeURIComponent(id));
  if (!section) return;
  var said = section.querySelector("[data-said]");
  (said || section).focus({ preventScroll: !said });
  if (said) said.scrollIntoView({ block: "center" });
})();
