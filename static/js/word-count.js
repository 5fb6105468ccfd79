// Live word counts for text areas with a data-word-limit; the server enforces the limits.
(function () {
  "use strict";

  var strings = readStrings();

  function readStrings() {
    var element = document.getElementById("applications-strings");
    var defaults = {
      words: "{count} / {limit} words",
      over: "{count} / {limit} words: {over} over the limit",
    };
    if (!element) {
      return defaults;
    }
    try {
      return Object.assign(defaults, JSON.parse(element.textContent));
    } catch (error) {
      return defaults;
    }
  }

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return key in values ? String(values[key]) : match;
    });
  }

  // The same separators as the server (cases/domain/text.py): white space and the
  // characters that show nothing, so words glued with them still count one by one.
  var SEPARATORS = /[\s\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb]+/;

  function countWords(text) {
    return text.split(SEPARATORS).filter(function (word) {
      return word.length > 0;
    }).length;
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
      var values = { count: words, limit: limit, over: over };
      counter.textContent = format(over > 0 ? strings.over : strings.words, values);
    }
    area.addEventListener("input", update);
    update();
  }

  document.querySelectorAll("textarea[data-word-limit]").forEach(attach);
})();
