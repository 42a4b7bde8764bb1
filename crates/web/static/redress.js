// Redress: the one small script. Every page works without it; it only keeps a form from being
// sent twice by an impatient double click (the server takes a resent form once anyway) and
// moves focus to a list of problems so screen-reader users hear it first.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-once")) { return; }
    if (form.getAttribute("data-sent") === "1") { event.preventDefault(); return; }
    form.setAttribute("data-sent", "1");
    var button = form.querySelector("button[type=submit]");
    if (button) {
      // Disabled after this tick, so the browser still sends the form with this button.
      setTimeout(function () {
        button.disabled = true;
        if (button.dataset.sending) {
          button.dataset.label = button.textContent;
          button.textContent = button.dataset.sending;
        }
      }, 0);
      // A send that stalls (a dropped connection, Stop pressed) must not leave the form dead;
      // the server takes a resent form once anyway.
      setTimeout(function () { release(form); }, 15000);
    }
  });
  function release(form) {
    form.removeAttribute("data-sent");
    var button = form.querySelector("button[type=submit][disabled]");
    if (button) {
      button.disabled = false;
      if (button.dataset.label) { button.textContent = button.dataset.label; }
    }
  }
  // Coming back with the Back button restores the page from memory: make it usable again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sent]").forEach(release);
  });
  // Problems first, else a confirmation: screen-reader users hear what just happened.
  document.addEventListener("DOMContentLoaded", function () {
    var first = document.getElementById("problems") || document.getElementById("done");
    if (first) { first.focus(); }
  });
})();
