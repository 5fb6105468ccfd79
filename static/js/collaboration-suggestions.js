// Live collaboration-type suggestions while partners are entered. The same rules as
// cases.domain.applications.suggest_collaboration_types, fed with its data; without
// JavaScript the page shows the suggestions for the saved partners.
(function () {
  "use strict";

  var rulesElement = document.getElementById("collaboration-suggestion-rules");
  var box = document.getElementById("suggested-types");
  var partners = document.querySelector("[data-partners]");
  if (!rulesElement || !box || !partners) {
    return;
  }
  var rules = JSON.parse(rulesElement.textContent);
  var list = box.querySelector("ul");

  function partnerRows() {
    var rows = [];
    partners.querySelectorAll("[data-partner-rows] [data-partner-row]").forEach(function (row) {
      var sector = row.querySelector("select[name$='-sector']");
      var country = row.querySelector("select[name$='-country']");
      var removed = row.querySelector("input[name$='-DELETE']");
      if (!sector || !sector.value || (removed && removed.checked)) {
        return;
      }
      rows.push({ sector: sector.value, country: country ? country.value : "" });
    });
    return rows;
  }

  function suggest(rows) {
    var sectors = {};
    var wanted = {};
    rows.forEach(function (row) {
      sectors[row.sector] = true;
      if (row.sector === "public") {
        if (row.country && rules.lead_country && row.country !== rules.lead_country) {
          wanted["cross-border"] = true;
        } else {
          wanted["public-public-horizontal"] = true;
          wanted["public-public-vertical"] = true;
        }
      } else if (rules.type_for_sector[row.sector]) {
        wanted[rules.type_for_sector[row.sector]] = true;
      }
    });
    var civil = rules.civil_society.some(function (sector) {
      return sectors[sector];
    });
    if (sectors.private && sectors.academic && civil) {
      wanted["multi-stakeholder"] = true;
    }
    return rules.types.filter(function (type) {
      return wanted[type.slug];
    });
  }

  function update() {
    var suggested = suggest(partnerRows());
    list.textContent = "";
    suggested.forEach(function (type) {
      var item = document.createElement("li");
      item.setAttribute("data-suggested-type", type.slug);
      item.textContent = type.label;
      list.appendChild(item);
    });
    box.hidden = suggested.length === 0;
    var ids = suggested.map(function (type) {
      return String(type.id);
    });
    document.querySelectorAll("input[name='collaboration_types']").forEach(function (input) {
      var holder = input.closest("div") || input.parentElement;
      holder.classList.toggle("is-suggested", ids.indexOf(input.value) !== -1);
    });
  }

  partners.addEventListener("change", update);
  partners.addEventListener("click", function (event) {
    if (event.target.tagName === "BUTTON") {
      window.setTimeout(update, 0);
    }
  });
  update();
})();
