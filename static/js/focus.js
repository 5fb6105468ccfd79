// Keeps the keyboard's place after an action (progressive enhancement; the pages work without).
// - A form that failed: focus its error summary (without JavaScript, its autofocus does this).
// - After a redirect to "#messages": focus the message, so it is read out.
// - After a redirect to an anchor on the element acted on (e.g. "#compare-<slug>"): focus the
//   first button or link inside it, so Tab continues from there instead of from the page top.
(function () {
  "use strict";

  function keepPlace() {
    var summary = document.querySelector("#form-errors, .form-errors[tabindex]");
    if (summary) {
      summary.focus();
      return;
    }
    if (!window.location.hash) {
      return;
    }
    var target = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
    if (!target) {
      return;
    }
    var control = target.matches("button, a, input, select, textarea")
      ? target
      : target.querySelector("button, a[href], input:not([type=hidden]), select, textarea");
    if (target.id === "messages" || !control) {
      if (!target.hasAttribute("tabindex")) {
        target.setAttribute("tabindex", "-1");
      }
      target.focus();
      return;
    }
    control.focus();
  }

  // After the browser's own scroll to the fragment, which would otherwise reset the focus.
  if (document.readyState === "complete") {
    window.setTimeout(keepPlace, 0);
  } else {
    window.addEventListener("load", function () {
      window.setTimeout(keepPlace, 0);
    });
  }
})();
