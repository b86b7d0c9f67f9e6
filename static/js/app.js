// Progressive enhancements; the pages work without this file.
(function () {
  "use strict";
  // Auto-submitting filter selects are driven by htmx; the "Применить" button stays for no-JS users.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-js-hide]").forEach(function (el) { el.hidden = true; });
  });
  // After Back/Forward htmx restores a snapshot of the page, whose filter fields show what was
  // selected when the snapshot was first rendered: set them from the restored URL instead.
  function syncFiltersFromUrl() {
    var params = new URLSearchParams(window.location.search);
    document.querySelectorAll("form.filters").forEach(function (form) {
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || el.type === "hidden" || el.type === "submit") return;
        // a field the URL does not mention keeps what the page was rendered with (a report's
        // default period), else a restored page would show filters the results do not use
        if (!params.has(el.name)) return;
        if (el.type === "checkbox") { el.checked = params.get(el.name) === el.value; }
        else { el.value = params.get(el.name) || ""; }
      });
    });
  }
  document.addEventListener("htmx:historyRestore", syncFiltersFromUrl);
  window.addEventListener("pageshow", syncFiltersFromUrl);
  // Copy-to-clipboard buttons: <button data-copy="#selector">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source) return;
    var text = source.value || source.textContent;
    function done() { button.textContent = "Скопировано"; }
    function fallback() {
      // the Clipboard API needs HTTPS: on a plain-HTTP intranet select the text and copy it
      if (source.select) { source.focus(); source.select(); }
      try { if (document.execCommand("copy")) { done(); return; } } catch (e) { /* not allowed */ }
      button.textContent = "Выделено: нажмите Ctrl+C";
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else {
      fallback();
    }
  });
  // A form submitted the ordinary way (a check-list's «Отправить ответы») cancels its own pending
  // htmx requests, e.g. the draft autosave of the last keystrokes: the page is leaving, and a draft
  // saved after the answers went in would be refused (409). htmx's own submits are prevented
  // before this listener sees them, so they do not count.
  document.addEventListener("submit", function (event) {
    if (!event.defaultPrevented && event.target.tagName === "FORM") event.target.setAttribute("data-submitting", "");
  });
  document.addEventListener("htmx:confirm", function (event) {
    var elt = event.detail && event.detail.elt;
    if (elt && elt.closest && elt.closest("form[data-submitting]")) event.preventDefault();
  });
  // Print buttons: <button data-print hidden>, shown only where a script can print.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-print]").forEach(function (el) { el.hidden = false; });
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });
  // Confirm dangerous actions: <button data-confirm="Текст?">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
})();
