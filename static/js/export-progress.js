// Export progress: polls each running export's JSON every two seconds and moves its
// bar; reloads the page once an export finishes, so the download (or the error) shows.
// Without JavaScript the page refreshes itself (a <noscript> meta refresh).
(function () {
  "use strict";
  var cards = document.querySelectorAll("[data-export-progress]");
  Array.prototype.forEach.call(cards, function (card) {
    var bar = card.querySelector("progress");
    if (!bar) return;
    var stage = card.querySelector("[data-export-stage]");
    var state = card.querySelector("[data-export-state]");
    function poll() {
      fetch(card.getAttribute("data-export-progress"), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) return;
          if (!data.running) { window.location.reload(); return; }
          if (data.total) bar.value = data.percent; else bar.removeAttribute("value");
          bar.textContent = data.percent + "%";
          stage.textContent = data.stage + (data.total ? " " + data.done + "/" + data.total : "");
          state.textContent = data.state_label;
          window.setTimeout(poll, 2000);
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    }
    window.setTimeout(poll, 1000);
  });
})();
