// The new share link's block: focus moves to it (where the browser ignored autofocus),
// the link is selected whenever its field gets focus, and a "Copy link" button appears.
// Without this script the link stays selectable text.
(function () {
  "use strict";
  var heading = document.querySelector("[data-focus-on-load]");
  if (heading && document.activeElement !== heading) heading.focus();

  // The whole link is selected when the field gets focus, ready to copy by keyboard.
  document.querySelectorAll("[data-select-on-focus]").forEach(function (field) {
    field.addEventListener("focus", function () { field.select(); });
  });

  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copy);
    var status = document.getElementById(button.dataset.copyStatus);
    if (!field || !status || !navigator.clipboard || !window.isSecureContext) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = "";  // so that copying again is announced again
      navigator.clipboard.writeText(field.value).then(
        function () { status.textContent = button.dataset.copied; },
        function () {
          field.focus();
          field.select();
          status.textContent = button.dataset.failed;
        }
      );
    });
  });
})();
