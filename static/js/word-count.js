// Live word counts for text areas with a data-word-limit; the server enforces the limits.
(function () {
  "use strict";

  function countWords(text) {
    var trimmed = text.trim();
    return trimmed ? trimmed.split(/\s+/).length : 0;
  }

  function attach(area) {
    var limit = parseInt(area.getAttribute("data-word-limit"), 10);
    if (!limit) {
      return;
    }
    var counter = document.createElement("p");
    counter.className = "word-count";
    counter.id = area.id + "_wordcount";
    counter.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", counter);
    var described = area.getAttribute("aria-describedby");
    area.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);

    function update() {
      var words = countWords(area.value);
      var over = words - limit;
      counter.classList.toggle("is-over-limit", over > 0);
      counter.textContent = over > 0
        ? words + " / " + limit + " words: " + over + " over the limit"
        : words + " / " + limit + " words";
    }
    area.addEventListener("input", update);
    update();
  }

  document.querySelectorAll("textarea[data-word-limit]").forEach(attach);
})();
