// Progressive enhancement of the library's filter form: ticking a facet applies it at once.
// Without JavaScript the "Apply filters" button does the same.
(function () {
  "use strict";
  var form = document.getElementById("library-filters");
  if (!form) { return; }
  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target && (target.type === "checkbox" || target.tagName === "SELECT")) {
      form.submit();
    }
  });
})();
