// Progressive enhancement for the upload form: drag and drop, and one request per file
// so each file gets its own progress bar and result. Without this script the form
// posts every file at once and the server answers with a results page.
(function () {
  "use strict";
  var form = document.querySelector("[data-upload-form]");
  if (!form || !window.FormData || !window.XMLHttpRequest) return;
  var input = form.querySelector('input[type="file"]');
  var dropzone = form.querySelector("[data-dropzone]");
  var results = document.querySelector("[data-upload-results]");
  var list = document.querySelector("[data-upload-list]");
  var queued = [];

  dropzone.hidden = false;
  ["dragenter", "dragover"].forEach(function (name) {
    dropzone.addEventListener(name, function (event) {
      event.preventDefault();
      dropzone.classList.add("dropzone--active");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    dropzone.addEventListener(name, function () { dropzone.classList.remove("dropzone--active"); });
  });
  dropzone.addEventListener("drop", function (event) {
    event.preventDefault();
    Array.prototype.push.apply(queued, event.dataTransfer.files);
    dropzone.querySelector("p").textContent = queued.length + " file(s) ready to upload. Press Upload.";
  });

  form.addEventListener("submit", function (event) {
    var files = queued.concat(Array.prototype.slice.call(input.files || []));
    if (!files.length) return; // let the server say that a file is needed
    event.preventDefault();
    results.hidden = false;
    var next = 0;
    function uploadNext() {
      if (next >= files.length) { queued = []; input.value = ""; return; }
      send(files[next++], uploadNext);
    }
    uploadNext();
  });

  function send(file, done) {
    var item = document.createElement("li");
    item.className = "upload-item";
    var name = document.createElement("strong");
    name.textContent = file.name;
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", "Upload progress for " + file.name);
    var status = document.createElement("span");
    status.setAttribute("role", "status");
    status.textContent = " Uploading…";
    item.append(name, " ", bar, status);
    list.appendChild(item);

    var data = new FormData(form);
    data.delete("files");
    data.append("files", file, file.name);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || window.location.href);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) bar.value = Math.round((event.loaded / event.total) * 100);
    });
    xhr.addEventListener("load", function () {
      var body = null;
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
      var result = body && body.results && body.results[0];
      bar.value = 100;
      var left = document.querySelector("[data-quota-remaining]");
      if (left && body && body.remaining) left.textContent = body.remaining;
      if (result && result.ok) {
        item.classList.add("upload-item--ok");
        status.textContent = " ";
        var link = document.createElement("a");
        link.href = result.url;
        link.textContent = result.message;
        status.appendChild(link);
      } else {
        item.classList.add("upload-item--error");
        var errors = body && body.errors ? Object.values(body.errors).flat().map(function (e) { return e.message; }) : [];
        status.textContent = " " + (result ? result.message : errors.join(" ") || "The upload failed (" + xhr.status + "). Try again.");
      }
      done();
    });
    xhr.addEventListener("error", function () {
      item.classList.add("upload-item--error");
      status.textContent = " The connection failed. Check your network and try again.";
      done();
    });
    xhr.send(data);
  }
})();
