// Progress without a channel layer between worker and web process: poll the JSON endpoint.
(function () {
  "use strict";
  var box = document.getElementById("send-progress");
  if (!box || box.dataset.status !== "running") {
    return;
  }
  function update() {
    fetch(box.dataset.url, {credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (data) {
        box.querySelectorAll("[data-field]").forEach(function (node) {
          node.textContent = data[node.dataset.field] || (node.dataset.field === "reason" ? "–" : "0");
        });
        box.querySelector("progress").value = data.percent;
        if (data.status === "running") {
          setTimeout(update, 2000);
        } else {
          window.location.reload();
        }
      });
  }
  setTimeout(update, 2000);
})();
