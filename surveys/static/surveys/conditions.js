// Shows a conditional question only while the question it depends on (on the same page) has the answer.
// Without JavaScript every question stays visible with its hint, and the server ignores hidden answers.
(function () {
  "use strict";
  var form = document.querySelector("form.survey-form");
  if (!form) { return; }
  var dependants = form.querySelectorAll("[data-show-if-field]");
  function answered(name, expected) {
    var wanted = expected.trim().toLowerCase();
    return Array.prototype.some.call(form.elements, function (element) {
      if (element.name !== name) { return false; }
      if ((element.type === "radio" || element.type === "checkbox") && !element.checked) { return false; }
      return String(element.value).trim().toLowerCase() === wanted;
    });
  }
  function update() {
    dependants.forEach(function (block) {
      block.hidden = !answered(block.dataset.showIfField, block.dataset.showIfValue);
    });
  }
  form.addEventListener("change", update);
  form.addEventListener("input", update);
  update();
})();
