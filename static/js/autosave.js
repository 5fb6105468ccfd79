// Autosave for application sections: posts the section's form to its own URL a moment after
// the user stops typing, with the X-Autosave header, and shows "Saved at HH:MM". Without
// JavaScript the Save buttons do the same.
(function () {
  "use strict";

  var DELAY_MS = 2500;
  var strings = {
    saving: "Saving…",
    not_saved: "Not saved.",
    offline: "Not saved: the connection failed. Your text is still here; save by hand.",
  };
  var stringsElement = document.getElementById("applications-strings");
  if (stringsElement) {
    try {
      Object.assign(strings, JSON.parse(stringsElement.textContent));
    } catch (error) {
      // Keep the English defaults.
    }
  }

  function setup(form) {
    var header = form.getAttribute("data-autosave");
    var status = form.querySelector(".autosave-status");
    var versionInput = form.querySelector("input[name=version]");
    var timer = null;
    var saving = false;
    var pending = false;
    var stopped = false;
    var submitAfterSave = null;

    function show(text, kind) {
      if (!status) {
        return;
      }
      status.textContent = text;
      status.setAttribute("data-state", kind);
    }

    function save() {
      if (stopped) {
        return;
      }
      if (saving) {
        pending = true;
        return;
      }
      saving = true;
      show(strings.saving, "saving");
      var headers = {};
      headers[header] = "1";
      fetch(form.getAttribute("action") || window.location.href, {
        method: "POST",
        body: new FormData(form),
        headers: headers,
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.json().then(function (data) {
            return { status: response.status, data: data };
          });
        })
        .then(function (result) {
          var data = result.data;
          if (result.status === 200 && data.ok) {
            if (versionInput) {
              versionInput.value = data.version;
            }
            show(data.message, "saved");
          } else {
            if (result.status === 409) {
              // A colleague saved meanwhile, or the application is locked: stop and let the
              // user save by hand, which shows both versions.
              stopped = true;
            }
            show(data.message || strings.not_saved, "error");
          }
        })
        .catch(function () {
          show(strings.offline, "error");
        })
        .finally(function () {
          saving = false;
          if (submitAfterSave) {
            // The user pressed a button while an autosave was on its way: send the form now,
            // with the version the autosave returned, as if the button had been pressed.
            var button = submitAfterSave;
            submitAfterSave = null;
            stopped = true;
            if (button.name) {
              var marker = document.createElement("input");
              marker.type = "hidden";
              marker.name = button.name;
              marker.value = button.value || "";
              form.appendChild(marker);
            }
            HTMLFormElement.prototype.submit.call(form);
            return;
          }
          if (pending) {
            pending = false;
            schedule();
          }
        });
    }

    function schedule() {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, DELAY_MS);
    }

    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
    form.addEventListener("submit", function (event) {
      window.clearTimeout(timer);
      if (saving) {
        event.preventDefault();
        submitAfterSave = event.submitter || form.querySelector("button[type=submit]");
        return;
      }
      stopped = true;
    });
  }

  document.querySelectorAll("form[data-autosave]").forEach(setup);
})();
