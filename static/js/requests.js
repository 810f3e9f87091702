// basewatch, on every page: what htmx requests change beyond the element they swap.
(function () {
  "use strict";

  // A request the server refused, failed or never answered says so. htmx swaps nothing for
  // such an answer, so without this an editor's Save would seem to do nothing at all.
  function banner() { return document.getElementById("request-failed"); }

  function say(kind, status) {
    var el = banner();
    if (!el) return;
    el.textContent = el.dataset[kind] + (status ? " (" + status + ")" : "");
    el.hidden = false;
  }

  // The site's error page, answering an htmx request, is not the fragment asked for, and says
  // so (HX-Reswap: none, app/web/handlers.py). htmx is told to swap a 409 or 422, which a route
  // answers with its fragment: this one is a refusal like any other.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status >= 400 && xhr.getResponseHeader("HX-Reswap") === "none") {
      event.detail.shouldSwap = false;
      event.detail.isError = true;
    }
  });

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    say(status === 401 || status === 403 ? "refused" : "failed", status);
  });
  document.addEventListener("htmx:sendError", function () { say("unreachable"); });
  document.addEventListener("htmx:afterRequest", function (event) {
    var el = banner();
    if (el && event.detail.successful) el.hidden = true;  // the next request that works
  });

  // The language switch keeps the current view: the address may have changed through htmx.
  // Kept current as the address changes, so that copying it or opening it in a new tab does too.
  function pointLanguageSwitchHere() {
    var link = document.querySelector("a.lang-switch");
    if (!link) { return; }
    var url = new URL(window.location.href);
    url.searchParams.set("lang", link.getAttribute("hreflang"));
    link.href = url.pathname + url.search;
  }
  document.addEventListener("htmx:pushedIntoHistory", pointLanguageSwitchHere);
  document.addEventListener("htmx:historyRestore", pointLanguageSwitchHere);
  window.addEventListener("popstate", pointLanguageSwitchHere);
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("a.lang-switch")) { pointLanguageSwitchHere(); }
  });
})();
