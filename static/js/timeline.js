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
