// The timeline's small behaviours; everything works without them (plain GET forms and links).
(function () {
  "use strict";

  function optionValues(input) {
    var list = document.getElementById(input.getAttribute("list"));
    return list ? Array.prototype.map.call(list.options, function (o) { return o.value; }) : [];
  }

  // The speaker box submits only a name picked from its suggestions (or on Enter), not each keystroke.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.id === "speaker-search" && optionValues(input).indexOf(input.value) < 0) {
      event.stopPropagation();
    }
  }, true);

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (input.id === "speaker-search" && input.value && optionValues(input).indexOf(input.value) >= 0) {
      input.form.requestSubmit();
    }
  });

  // After a swap, move focus to the results' heading so screen readers announce the new view.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target.id === "timeline") {
      var active = document.activeElement;
      if (!active || active === document.body) {
        var heading = document.getElementById("results-heading");
        if (heading) { heading.focus({ preventScroll: true }); }
      }
    }
  });
})();

// On phones the filters start folded, so the statements come first.
(function () {
  "use strict";
  function fold() {
    var panel = document.querySelector(".filter-panel");
    if (panel && window.matchMedia("(max-width: 40rem)").matches) { panel.open = false; }
  }
  document.addEventListener("DOMContentLoaded", fold);
})();

// Empty fields stay out of the address, so a shared link reads `?q=قاعدة`, not `?q=قاعدة&from=&to=`.
document.addEventListener("htmx:configRequest", function (event) {
  "use strict";
  if (event.detail.verb !== "get") { return; }
  var params = event.detail.parameters;
  Object.keys(params).forEach(function (key) {
    if (params[key] === "") { delete params[key]; }
  });
});

// The chart's months are one stop for Tab (a decade is 120 links before the list): the arrow
// keys move between them, in the direction they are drawn (so in Arabic, too), Home and End
// to the ends. Without this script every month is a link of its own, as before.
(function () {
  "use strict";
  var KEYS = { ArrowLeft: -1, ArrowRight: 1, Home: -Infinity, End: Infinity };

  function months(svg) {
    var links = Array.prototype.slice.call(svg.querySelectorAll("a.month-link"));
    function x(link) { return parseFloat(link.querySelector(".month-hit").getAttribute("x")); }
    return links.sort(function (a, b) { return x(a) - x(b); });
  }

  function rove(root) {
    (root.querySelectorAll ? root : document).querySelectorAll("svg.chart-svg").forEach(function (svg) {
      var links = svg.querySelectorAll("a.month-link");  // in time order: the newest last
      var current = svg.querySelector("a.month-link[tabindex='0']") || links[links.length - 1];
      links.forEach(function (link) { link.setAttribute("tabindex", link === current ? "0" : "-1"); });
    });
  }

  document.addEventListener("keydown", function (event) {
    var link = event.target.closest && event.target.closest("a.month-link");
    if (!link || !(event.key in KEYS)) { return; }
    var links = months(link.closest("svg"));
    var step = KEYS[event.key];
    var at = Math.max(0, Math.min(links.length - 1, links.indexOf(link) + step));
    event.preventDefault();
    links.forEach(function (l) { l.setAttribute("tabindex", "-1"); });
    links[at].setAttribute("tabindex", "0");
    links[at].focus();
  });

  document.addEventListener("DOMContentLoaded", function () { rove(document); });
  document.addEventListener("htmx:afterSettle", function (event) { rove(event.target); });
})();
