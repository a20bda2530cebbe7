// Suggests @-handles while typing; without JavaScript people type the handle themselves.
(function () {
  "use strict";
  var script = document.currentScript;
  var endpoint = script && script.dataset.url;
  if (!endpoint) { return; }
  document.querySelectorAll("form[data-mention-board] textarea").forEach(function (textarea) {
    var board = textarea.form.dataset.mentionBoard;
    var list = document.createElement("ul");
    list.className = "forum-mentions";
    list.hidden = true;
    list.setAttribute("aria-label", "Vorschläge für Erwähnungen");
    textarea.insertAdjacentElement("afterend", list);
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    list.insertAdjacentElement("afterend", status);

    function currentWord() {
      var before = textarea.value.slice(0, textarea.selectionStart);
      var match = /(^|\s)@([\w.\-]{1,40})$/u.exec(before);
      return match ? match[2] : null;
    }

    function choose(handle) {
      var end = textarea.selectionStart;
      var before = textarea.value.slice(0, end).replace(/@[\w.\-]*$/u, "@" + handle + " ");
      textarea.value = before + textarea.value.slice(end);
      textarea.focus();
      textarea.setSelectionRange(before.length, before.length);
      list.hidden = true;
    }

    textarea.addEventListener("input", function () {
      var word = currentWord();
      if (!word) { list.hidden = true; return; }
      fetch(endpoint + "?bereich=" + encodeURIComponent(board) + "&q=" + encodeURIComponent(word), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          list.replaceChildren();
          data.results.forEach(function (person) {
            var item = document.createElement("li");
            var button = document.createElement("button");
            button.type = "button";
            button.textContent = person.name + " (@" + person.handle + ")";
            button.addEventListener("click", function () { choose(person.handle); });
            item.appendChild(button);
            list.appendChild(item);
          });
          list.hidden = data.results.length === 0;
          status.textContent = data.results.length + " Vorschläge";
        });
    });
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { list.hidden = true; }
    });
  });
})();
