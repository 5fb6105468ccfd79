// Progressive enhancement of the library's filters: after each change of a filter the results,
// the counts and the summary sentence update in place, and the new result count is announced
// (#results-status, a polite live region). Focus stays on the control just changed; nothing
// scrolls. Without JavaScript the "Apply filters" button submits the form.
(function () {
  "use strict";
  var form = document.getElementById("library-filters");
  var results = document.getElementById("results");
  var status = document.getElementById("results-status");
  if (!form || !results || !status || !window.fetch || !window.DOMParser) {
    return;
  }
  var timer = null;
  var pending = null;

  function query() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (String(value).trim() !== "") {
        params.append(key, value);
      }
    });
    return params.toString();
  }

  function refresh() {
    var search = query();
    var url = form.action + (search ? "?" + search : "");
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    results.setAttribute("aria-busy", "true");
    fetch(url, { signal: pending.signal, headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("results");
        if (!fresh) {
          return;
        }
        results.innerHTML = fresh.innerHTML;
        page.querySelectorAll(".facet-count[data-facet]").forEach(function (count) {
          var selector =
            '.facet-count[data-facet="' + count.dataset.facet + '"][data-value="' +
            CSS.escape(count.dataset.value) + '"]';
          var here = form.querySelector(selector);
          if (here) {
            here.innerHTML = count.innerHTML;
          }
        });
        var sentence = page.getElementById("filter-sentence");
        status.textContent = sentence ? sentence.textContent : "";
        window.history.replaceState(null, "", url);
      })
      .catch(function () {
        // A failed update leaves the page as it was; "Apply filters" still works.
      })
      .finally(function () {
        results.removeAttribute("aria-busy");
      });
  }

  form.addEventListener("change", function (event) {
    if (event.target.name === "q") {
      return; // the search box is submitted with its own button or Enter
    }
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 250);
  });
})();
