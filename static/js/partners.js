// "Add a partner" button for the partners' rows (a Django formset). Without JavaScript one
// empty row is offered after each save.
(function () {
  "use strict";

  document.querySelectorAll("[data-partners]").forEach(function (box) {
    var template = box.querySelector("template[data-partner-template]");
    var rows = box.querySelector("[data-partner-rows]");
    var total = box.querySelector("input[name$='-TOTAL_FORMS']");
    if (!template || !rows || !total) {
      return;
    }
    box.querySelectorAll(".no-js-only").forEach(function (element) {
      element.hidden = true;
    });
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button-secondary";
    var label = "Add a partner";
    var stringsElement = document.getElementById("applications-strings");
    if (stringsElement) {
      try {
        label = JSON.parse(stringsElement.textContent).add_partner || label;
      } catch (error) {
        // Keep the English default.
      }
    }
    button.textContent = label;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var added = rows.lastElementChild;
      var first = added && added.querySelector("input, select, textarea");
      if (first) {
        first.focus();
      }
    });
    rows.insertAdjacentElement("afterend", button);
  });
})();
