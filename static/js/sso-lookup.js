// Sign-in page: as the person types their email, offer their institution's single
// sign-on when its domain has one. Without JavaScript the "Continue" button does the
// same lookup on the server.
(function () {
  "use strict";
  var section = document.querySelector("[data-sso-lookup]");
  if (!section) return;
  var offer = section.querySelector("[data-sso-offer]");
  var lookupUrl = section.getAttribute("data-sso-lookup");
  var inputs = [document.getElementById("id_login"), document.getElementById("sso-email")];
  var timer = null;
  var lastDomain = null;

  function show(data) {
    offer.textContent = "";
    if (!data.institution) {
      offer.hidden = true;
      return;
    }
    var link = document.createElement("a");
    link.className = "button";
    link.href = data.url;
    link.textContent = section.getAttribute("data-label-prefix") + data.institution;
    offer.appendChild(link);
    offer.hidden = false;
  }

  function lookUp(email) {
    var domain = email.split("@")[1] || "";
    if (domain.indexOf(".") < 1 || domain === lastDomain) return;
    lastDomain = domain;
    var url = lookupUrl + "?format=json&email=" + encodeURIComponent(email);
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { institution: null }; })
      .then(show)
      .catch(function () { offer.hidden = true; });
  }

  inputs.forEach(function (input) {
    if (!input) return;
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      var value = input.value.trim();
      timer = window.setTimeout(function () { lookUp(value); }, 250);
    });
  });
})();
