// Attendance marking on a bad connection: a mark that could not be sent is kept on this device
// (localStorage) and sent again until the server answers, also after a reload. Marks are
// idempotent («set this person's status to X»), so sending one twice is harmless.
(function () {
  "use strict";
  var KEY = "attendance-pending";
  var timer = null;
  var delay = 2000;

  function load() {
    try { return JSON.parse(window.localStorage.getItem(KEY) || "{}") || {}; } catch (e) { return {}; }
  }
  function save(pending) {
    try { window.localStorage.setItem(KEY, JSON.stringify(pending)); } catch (e) { /* private mode: memory only */ }
  }
  function rowForm(el) { return el && el.closest ? el.closest("form[data-att-row]") : null; }
  // The form that sent the request: a row replaces itself on success, so htmx fires the later
  // events on the list; requestConfig.elt still names the (detached) form.
  function formOf(event) {
    var detail = event.detail || {};
    return rowForm((detail.requestConfig && detail.requestConfig.elt) || detail.elt);
  }
  function valuesOf(form) {
    var checked = form.querySelector("input[name=status]:checked");
    var remark = form.querySelector("input[name=remark]");
    return { status: checked ? checked.value : "", remark: remark ? remark.value : "" };
  }
  function apply(form, values) {
    form.querySelectorAll("input[name=status]").forEach(function (radio) { radio.checked = radio.value === values.status; });
    var remark = form.querySelector("input[name=remark]");
    if (remark) remark.value = values.remark;
  }
  function ownKeys() {
    var banner = document.getElementById("att-offline");
    if (!banner) return [];
    var prefix = banner.getAttribute("data-session") + "-";
    return Object.keys(load()).filter(function (key) { return key.indexOf(prefix) === 0; });
  }
  function showBanner() {
    var banner = document.getElementById("att-offline");
    if (!banner) return;
    var n = ownKeys().length;
    banner.hidden = n === 0;
    banner.textContent = n ? "Не отправлено отметок: " + n + ". Они сохранены на этом устройстве и уйдут сами, " +
      "как только появится связь. Не очищайте данные браузера." : "";
  }
  function retryAll() {
    var pending = load();
    ownKeys().forEach(function (key) {
      var form = document.querySelector('form[data-att-row="' + key + '"]');
      if (!form) return;
      apply(form, pending[key]);
      window.htmx.trigger(form, "change");
    });
  }
  function schedule() {
    if (timer) return;
    timer = window.setTimeout(function () { timer = null; retryAll(); }, delay);
    delay = Math.min(delay * 2, 30000);
  }
  function failed(event) {
    var form = formOf(event);
    if (!form) return;
    var row = form.closest("li");
    if (!row) return;
    row.classList.remove("att-saving");
    row.classList.add("att-unsaved");
    var state = row.querySelector(".att-state");
    if (state) state.textContent = "Не сохранено: нет связи с сервером. Отправим ещё раз автоматически.";
    showBanner();
    schedule();
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = formOf(event);
    if (!form) return;
    var pending = load();
    pending[form.getAttribute("data-att-row")] = valuesOf(form);
    save(pending);
    form.closest("li").classList.add("att-saving");
  });
  document.addEventListener("htmx:sendError", failed);
  document.addEventListener("htmx:timeout", failed);
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = formOf(event);
    var xhr = event.detail.xhr;
    if (!form || !xhr || !xhr.status) return;  // no answer: sendError/timeout handle it
    if (xhr.status >= 500) { failed(event); return; }
    // the server decided (saved, or refused with a message shown in the row): nothing to resend
    var pending = load();
    delete pending[form.getAttribute("data-att-row")];
    save(pending);
    delay = 2000;
    showBanner();
  });
  window.addEventListener("online", function () { delay = 2000; retryAll(); });
  document.addEventListener("DOMContentLoaded", function () {
    showBanner();
    if (ownKeys().length) retryAll();
  });
})();
