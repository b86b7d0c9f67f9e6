// Print buttons on printable documents: <button data-print hidden>. Without this file the page
// still says to press Ctrl+P; the button shows only when it can work.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
