// basewatch: an htmx request the server refused, failed or never answered says so. htmx swaps
// nothing for such an answer, so without this an editor's Save would seem to do nothing at all.
(function () {
  "use strict";

  function banner() { return document.getElementById("request-failed"); }

  function say(kind, status) {
    var el = banner();
    if (!el) return;
    el.textContent = el.dataset[kind] + (status ? " (" + status + ")" : "");
    el.hidden = false;
  }

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    say(status === 401 || status === 403 ? "refused" : "failed", status);
  });
  document.addEventListener("htmx:sendError", function () { say("unreachable"); });
  document.addEventListener("htmx:afterRequest", function (event) {
    var el = banner();
    if (el && event.detail.successful) el.hidden = true;  // the next request that works
  });
})();
