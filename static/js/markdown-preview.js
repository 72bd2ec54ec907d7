// Live preview for Markdown text areas: the server renders it with the same sanitising
// as saving, so the preview shows exactly what will be kept.
(function () {
  "use strict";
  var area = document.querySelector("textarea[data-markdown-preview]");
  var panel = document.querySelector("[data-preview-url]");
  if (!area || !panel || !window.fetch) return;
  var output = panel.querySelector("[data-preview-output]");
  var empty = panel.querySelector("[data-preview-empty]");
  var token = document.querySelector("input[name=csrfmiddlewaretoken]");
  var timer = null;
  panel.hidden = false;

  function render() {
    var body = new URLSearchParams();
    body.append("text", area.value);
    fetch(panel.getAttribute("data-preview-url"), {
      method: "POST",
      headers: { "X-CSRFToken": token ? token.value : "", "Accept": "application/json" },
      body: body,
      credentials: "same-origin",
    })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        output.innerHTML = data.html || "";
        if (empty) empty.hidden = Boolean(data.html);
      })
      .catch(function () { /* the preview is a convenience; saving still works */ });
  }
  area.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(render, 300);
  });
  render();
})();
