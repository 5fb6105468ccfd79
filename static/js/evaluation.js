// Progressive enhancement of the review form: a live weighted total of the criterion scores.
// The stored total is always computed on the server; this only helps while typing.
(function () {
  "use strict";
  var form = document.getElementById("review-form");
  var output = document.getElementById("live-total");
  if (!form || !output) {
    return;
  }
  var low = Number(form.dataset.scaleMin);
  var high = Number(form.dataset.scaleMax);
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input.score-input"));

  function update() {
    var weighted = 0;
    var weights = 0;
    var complete = true;
    inputs.forEach(function (input) {
      var weight = Number(input.dataset.weight) || 1;
      var value = input.value.trim();
      var score = Number(value);
      if (value === "" || !Number.isInteger(score) || score < low || score > high) {
        complete = false;
        return;
      }
      weighted += score * weight;
      weights += weight;
    });
    output.textContent = complete && weights > 0 ? (weighted / weights).toFixed(3) : "—";
  }

  output.parentElement.hidden = false;
  inputs.forEach(function (input) {
    input.addEventListener("input", update);
  });
  update();

  var errors = document.getElementById("form-errors");
  if (errors) {
    errors.focus();
  }
})();
