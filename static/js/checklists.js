// Check-list forms ([data-checklist]): conditional questions, the «не больше N» limit of multiple
// choice, and one submission per click. The answer page and the builder's preview use it; without
// it every question shows and the server still ignores answers to questions that do not apply.
(function () {
  "use strict";

  function chosen(container, key) {
    var values = [];
    container.querySelectorAll('[name="a-' + key + '"]').forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") ? input.checked : input.value) {
        values.push(input.value);
      }
    });
    return values;
  }

  // Items come in form order, so a source is settled before the items that depend on it.
  function applyConditions(container) {
    var shown = {};
    container.querySelectorAll(".cl-item").forEach(function (item) {
      var key = item.getAttribute("data-key");
      var source = item.getAttribute("data-show-if");
      var visible = true;
      if (source) {
        var wanted = (item.getAttribute("data-show-values") || "").split(" ");
        visible = !!shown[source] && chosen(container, source).some(function (v) { return wanted.indexOf(v) >= 0; });
      }
      item.hidden = !visible;
      shown[key] = visible;
    });
  }

  function applyLimits(container) {
    container.querySelectorAll("[data-max-choices]").forEach(function (group) {
      var most = parseInt(group.getAttribute("data-max-choices"), 10);
      var boxes = group.querySelectorAll('input[type="checkbox"]');
      var ticked = Array.prototype.filter.call(boxes, function (b) { return b.checked; }).length;
      boxes.forEach(function (box) {
        if (!box.checked) box.disabled = ticked >= most;
      });
    });
  }

  function init(root) {
    (root.matches && root.matches("[data-checklist]") ? [root] : [])
      .concat(Array.prototype.slice.call((root.querySelectorAll ? root : document).querySelectorAll("[data-checklist]")))
      .forEach(function (container) {
        applyConditions(container);
        if (!container.closest(".cl-preview")) applyLimits(container);
      });
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
  document.addEventListener("change", function (event) {
    var container = event.target.closest && event.target.closest("[data-checklist]");
    if (!container) return;
    applyConditions(container);
    if (!container.closest(".cl-preview")) applyLimits(container);
  });
  // The preview's inputs are disabled for the server, but the builder wants to try conditions.
  document.addEventListener("click", function (event) {
    var label = event.target.closest && event.target.closest(".cl-preview label");
    if (!label) return;
    var input = label.querySelector("input");
    if (!input) return;
    event.preventDefault();
    input.checked = input.type === "radio" ? true : !input.checked;
    var container = label.closest("[data-checklist]");
    if (container) applyConditions(container);
  });
  // A plain submission is sent once: the button is disabled after the first click.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-once]")) return;
    var button = event.submitter;
    if (form.getAttribute("data-sent") === "1") { event.preventDefault(); return; }
    form.setAttribute("data-sent", "1");
    // disabled after the browser has taken the post, so the button's own formaction still counts
    if (button) setTimeout(function () { button.disabled = true; }, 0);
  });
  // Leaving the page with the browser's Back after a 422 re-render must allow sending again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-once]").forEach(function (form) {
      form.removeAttribute("data-sent");
      form.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
    });
  });
})();
