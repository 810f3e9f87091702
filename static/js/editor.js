// basewatch, for signed-in editors: the review queue's keys, and selecting a quote in an article.
// No inline script anywhere (the CSP forbids it): everything hangs off data- attributes.
(function () {
  "use strict";

  // ---- The review queue: j/k move, a approves, r rejects, e edits, ? lists the keys ----------
  function items() { return Array.from(document.querySelectorAll("[data-queue] > .queue-item.status-extracted")); }
  function current() { return document.querySelector("[data-queue] > .queue-item.is-current"); }

  function focusItem(item, markOnly) {
    if (!item) return;
    document.querySelectorAll("[data-queue] > .queue-item.is-current").forEach(function (el) { el.classList.remove("is-current"); });
    item.classList.add("is-current");
    if (markOnly) return;
    item.focus({ preventScroll: true });
    item.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    var list = items();
    if (!list.length) return;
    var at = list.indexOf(current());
    focusItem(list[Math.min(Math.max(at + step, 0), list.length - 1)] || list[0]);
  }

  function typing(target) {
    return target.closest && target.closest("input, textarea, select, [contenteditable]");
  }

  // The key as the keys list names it. A layout of another script types another letter on the
  // key marked with it (Arabic: ش on A, ؟ for ?; Russian: ф on A): it is then known by its place.
  function named(event) {
    if (/^[a-z?]$/.test(event.key)) return event.key;
    if (event.key === "؟") return "?";
    var letter = /^Key([A-Z])$/.exec(event.code || "");
    return letter && !event.shiftKey ? letter[1].toLowerCase() : event.key;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var key = named(event);
    var keys = document.querySelector("[data-keys]");
    if (key === "?" && keys) { keys.open ? keys.close() : keys.showModal(); event.preventDefault(); return; }
    if (!document.querySelector("[data-queue]")) return;
    var item = current() || items()[0];
    if (key === "j") { move(1); event.preventDefault(); return; }
    if (key === "k") { move(-1); event.preventDefault(); return; }
    if (!item) return;
    if (!current()) focusItem(item);
    var action = item.querySelector('[data-key="' + key + '"]');
    if (!action) return;
    event.preventDefault();
    if (action.tagName === "DETAILS") {
      action.open = true;
      var first = action.querySelector("button");
      if (first) first.focus();
    } else {
      action.click();
    }
  });

  document.addEventListener("click", function (event) {
    var show = event.target.closest("[data-show-keys]");
    var keys = document.querySelector("[data-keys]");
    if (show && keys) keys.showModal();
    var item = event.target.closest("[data-queue] > .queue-item");
    // A click on a control inside the item leaves focus on that control (a field, Save).
    var control = event.target.closest("a[href], button, input, select, textarea, summary, label");
    if (item && item.classList.contains("status-extracted")) focusItem(item, !!control);
  });

  // After a decision the item comes back as a short note: move on to the next one waiting.
  // (htmx:load fires on the new element, which is in the page; the old one is gone.)
  document.addEventListener("htmx:load", function (event) {
    var fresh = event.target;
    if (!fresh.classList || !fresh.classList.contains("queue-item")) return;
    if (fresh.classList.contains("status-extracted")) { focusItem(fresh); return; }
    var list = items();
    if (!list.length) { nextBatch(); return; }
    var next = list.find(function (el) { return fresh.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING; });
    focusItem(next || list[list.length - 1]);
  });

  // The page lists the first claims waiting; once all of them are decided, list the next ones
  // (under the same filters, which the address carries), or say that nothing waits.
  function nextBatch() {
    var queue = document.querySelector("[data-queue]");
    if (!queue || !window.htmx) return;
    // After the recount the last decision started: the list brings the count along, and
    // replacing the count mid-request would cut that request off (logged as an error).
    // htmx fires afterRequest on the element however the request ends (loaded, failed, aborted,
    // timed out); asking on the next turn lets a recount queued behind it (hx-sync) start first.
    var left = document.getElementById("left");
    if (left && left.classList.contains("htmx-request")) {
      left.addEventListener("htmx:afterRequest", function () { window.setTimeout(nextBatch, 0); }, { once: true });
      return;
    }
    window.htmx.ajax("GET", window.location.pathname + window.location.search, { target: "#queue", swap: "outerHTML" })
      .then(function () { focusItem(items()[0]); });
  }

  document.addEventListener("DOMContentLoaded", function () { focusItem(items()[0]); });

  // A page the browser itself kept for Back and Forward: its filters must say what its address
  // lists. (htmx keeps no copy of an editor's pages, base.html: its Back asks the server, which
  // sends the filters set.)
  function filtersFromAddress() {
    var form = document.querySelector("form.filters");
    if (!form) return;
    var params = new URLSearchParams(window.location.search);
    Array.from(form.elements).forEach(function (field) {
      if (!field.name || field.type === "submit") return;
      if (field.type === "checkbox") field.checked = params.get(field.name) === field.value;
      else field.value = params.get(field.name) || "";
    });
  }
  window.addEventListener("pageshow", function (event) { if (event.persisted) filtersFromAddress(); });

  // ---- Focus after a swap: htmx replaces the element that had focus, and focus falls to <body>
  // (the next Tab would start from the top of the page). Put it where the work goes on: the
  // conflict notice, the first field refused, the field just saved, else the region's heading.
  var focusedIn = new WeakMap();
  var EDITING = ".editor, .editor-slot, .queue-item, #history, #statement, #new_claim";

  document.addEventListener("htmx:beforeSwap", function (event) {
    var active = document.activeElement;
    var target = event.detail.target;
    if (!active || active === document.body || !target || !target.contains(active)) return;
    if (!target.matches(EDITING)) return;  // other pages' swaps place focus themselves
    var field = active.closest("form[data-fields], .tags-field");
    var applied = active.closest("form.apply-mine");  // "Apply my change on top": its fields
    var named = applied && applied.querySelector('input[name="fields"]');
    focusedIn.set(event.detail.xhr, {
      fields: field ? (field.dataset.fields || "tags") : named ? named.value : null,
    });
  });

  function focusOn(el) {
    if (!el) return;
    if (!el.matches("a[href], button, input, select, textarea, summary, [tabindex]")) el.setAttribute("tabindex", "-1");
    el.focus({ preventScroll: false });
  }

  function firstRefused(region) {
    var error = region.querySelector(".has-error");
    if (!error) return null;
    return error.querySelector('[aria-invalid="true"]')
      || error.querySelector("input:not([type=hidden]):not([type=radio]):not([type=checkbox]), select, textarea")
      || error.querySelector("fieldset") || error;
  }

  function savedField(region, fields) {
    if (!fields) return null;
    var form = fields === "tags" ? region.querySelector(".tags-field")
      : region.querySelector('form[data-fields="' + fields + '"]');
    return form && (form.querySelector("fieldset") || form);
  }

  function regionHeading(region) {
    if (region.matches(".editor-slot")) {  // the editor closed: back to the link that opened it
      return document.querySelector('a.edit[hx-target="#' + region.id + '"]');
    }
    return region.querySelector("h1, h2, h3, h4, h5, h6") || region;
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var was = focusedIn.get(event.detail.xhr);
    var region = event.target;
    if (!was || !region.isConnected) return;
    focusedIn.delete(event.detail.xhr);
    var active = document.activeElement;
    var lost = !active || active === document.body || !active.isConnected;
    // Moved on already (the queue's next claim), or put back on the same control by htmx.
    if (!lost && active !== region) return;
    var conflict = region.querySelector(".conflict h3");
    var to = conflict || firstRefused(region) || savedField(region, was.fields);
    if (!to && lost) to = regionHeading(region);
    focusOn(to);
  });

  // ---- Accounts (/users): Disable and Enable answer with the whole table, and the button that
  // had focus is gone with the old one. Back to the same account's button (now saying the
  // opposite), else to the heading that names the table.
  var toggled = new WeakMap();  // request → the account form's address

  document.addEventListener("htmx:beforeSwap", function (event) {
    var table = event.detail.target, active = document.activeElement;
    if (!table || table.id !== "users" || !active || !table.contains(active)) return;
    var form = active.closest("form");
    toggled.set(event.detail.xhr, form ? form.getAttribute("action") : null);
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var table = event.target;
    if (table.id !== "users" || !toggled.has(event.detail.xhr)) return;
    var action = toggled.get(event.detail.xhr);
    toggled.delete(event.detail.xhr);
    var form = action && Array.from(table.querySelectorAll("form")).find(function (f) {
      return f.getAttribute("action") === action;
    });
    var button = form && form.querySelector("button");
    focusOn(button || document.getElementById(table.getAttribute("aria-labelledby")) || table);
  });

  // ---- A save keeps what is typed, not saved yet, in the other fields ------------------------
  // Each field's form sends only its own fields, and the answer is the whole editor again (every
  // form must carry the claim's new version), which shows the stored value in every other field.
  // What was typed there would be gone without a word: carry it over the swap. Left as the
  // server answers: the form just sent (saved, or refused with its message), and a field whose
  // stored value changed meanwhile (someone else saved it: their value is what to look at).
  var typed = new WeakMap();  // request → the unsaved values of the editor it replaces

  function editorIn(el) { return el.matches(".editor") ? el : el.querySelector(".editor"); }
  function editable(el) { return el.name && !/^(hidden|submit|button|reset|image|file|fieldset)$/.test(el.type); }
  function ticked(el) { return el.type === "checkbox" || el.type === "radio"; }
  function valueNow(el) { return ticked(el) ? el.checked : el.value; }
  function rendered(el) {  // the value the server sent, which the browser keeps beside the current one
    if (ticked(el)) return el.defaultChecked;
    if (el.tagName === "SELECT") {
      var first = Array.from(el.options).find(function (o) { return o.defaultSelected; }) || el.options[0];
      return first ? first.value : "";
    }
    return el.defaultValue;
  }
  // The same field in the new editor: by its id, else by its form and name (and value for a box
  // to tick; place for the boxes of the via chain, which share a name).
  function keyOf(el) {
    if (el.id) return "#" + el.id;
    var form = el.form, where = form ? form.dataset.fields || form.className : "";
    if (ticked(el)) return where + " " + el.name + "=" + el.value;
    var same = form ? Array.from(form.elements).filter(function (o) { return o.name === el.name && editable(o); }) : [el];
    return where + " " + el.name + " " + same.indexOf(el);
  }
  function fieldsIn(editor) {
    var all = [];
    editor.querySelectorAll("form").forEach(function (form) {
      Array.from(form.elements).forEach(function (el) { if (editable(el)) all.push(el); });
    });
    return all;
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target, elt = event.detail.requestConfig && event.detail.requestConfig.elt;
    var editor = target && editorIn(target);
    var sent = elt && elt.closest && elt.closest("form");
    if (!editor || !sent || !editor.contains(sent)) return;
    // "Apply my change on top" sends the fields of another form: that one is answered too.
    var named = sent.querySelector('input[name="fields"]');
    var answered = function (form) { return form === sent || (named && form.dataset.fields === named.value); };
    var found = { fields: [], lists: [] };
    fieldsIn(editor).forEach(function (el) {
      if (answered(el.form) || valueNow(el) === rendered(el)) return;
      found.fields.push({ key: keyOf(el), was: rendered(el), value: valueNow(el) });
      // A search's results (speakers found by name) go over with the search and the choice.
      var list = el.getAttribute("hx-target");
      if (list && list.charAt(0) === "#" && editor.querySelector(list)) {
        found.lists.push({ id: list, html: editor.querySelector(list).innerHTML });
      }
    });
    if (found.fields.length) typed.set(event.detail.xhr, found);
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var found = typed.get(event.detail.xhr);
    var editor = found && event.target.isConnected && editorIn(event.target);
    if (!editor) return;
    typed.delete(event.detail.xhr);
    found.lists.forEach(function (list) {
      var now = editor.querySelector(list.id);
      if (now) now.innerHTML = list.html;
    });
    var byKey = {};
    fieldsIn(editor).forEach(function (el) { byKey[keyOf(el)] = el; });
    found.fields.forEach(function (field) {
      var el = byKey[field.key];
      if (!el || rendered(el) !== field.was) return;
      if (ticked(el)) el.checked = field.value; else el.value = field.value;
      var folded = el.closest("details");  // a new actor's name, typed in the folded part
      if (folded) folded.open = true;
    });
  });

  // ---- Unsaved typing is not thrown away without a word ------------------------------------
  // Close, Approve or Reject (by click or key), a filter, Edit again: each swaps the editor out,
  // and what was typed there and not saved would go with it (an approval would approve the claim
  // as stored, while the editor believes it approved their corrections). Ask first, in the
  // interface's language (the question is in the page: data-discard-unsaved). A field's own save
  // asks nothing: the typing in the other fields goes over the swap (above).
  // Unsaved: a field whose value is not what the server rendered (a search for a speaker is not
  // an edit; the speaker chosen is), a form the server refused (it shows what was typed, not
  // what is stored), or a conflict notice holding this editor's change.
  function unsaved(editor) {
    if (editor.querySelector("form.has-error, .conflict form.apply-mine")) return true;
    return fieldsIn(editor).some(function (el) { return el.type !== "search" && valueNow(el) !== rendered(el); });
  }
  function editorsIn(el) { return el.matches(".editor") ? [el] : Array.from(el.querySelectorAll(".editor")); }
  function anyUnsaved() { return editorsIn(document.body).some(unsaved); }

  document.addEventListener("htmx:confirm", function (event) {
    var elt = event.detail.elt, target = event.detail.target;
    if (!target || !target.matches || !elt || !elt.closest) return;
    var sent = elt.closest("form");
    var lost = editorsIn(target).filter(function (editor) {
      return !(sent && editor.contains(sent)) && unsaved(editor);
    });
    if (!lost.length) return;
    var asking = elt.closest("[data-discard-unsaved]") || lost[0];
    if (!window.confirm(asking.dataset.discardUnsaved)) event.preventDefault();
  });

  // Leaving the page (a link, reload, closing the tab): the browser's own question, and only
  // while something is unsaved (a beforeunload listener keeps some browsers from caching the page
  // for Back, so it is there only then).
  function leaving(event) {
    if (!anyUnsaved()) return;
    event.preventDefault();
    event.returnValue = "unsaved";  // older browsers ask only when this is set (never shown)
  }
  var armed = false;
  function arm() {
    var now = anyUnsaved();
    if (now === armed) return;
    armed = now;
    if (now) window.addEventListener("beforeunload", leaving);
    else window.removeEventListener("beforeunload", leaving);
  }
  document.addEventListener("input", arm);
  document.addEventListener("change", arm);
  document.addEventListener("htmx:afterSwap", arm);  // after the typing carried over, above
  window.addEventListener("pageshow", arm);  // fields the browser filled back in on Back

  // ---- Selecting a quote: offsets from the pieces' data-start, in code points like Python ----
  function offsetIn(node, offset) {
    if (node.nodeType === Node.TEXT_NODE) {
      var piece = node.parentElement && node.parentElement.closest("[data-start]");
      if (!piece) return null;
      return Number(piece.dataset.start) + Array.from(node.data.slice(0, offset)).length;
    }
    // An element boundary: just before its child number `offset`, or after its last piece.
    var child = node.childNodes[offset];
    var next = child && child.nodeType === Node.ELEMENT_NODE
      ? (child.matches("[data-start]") ? child : child.querySelector("[data-start]")) : null;
    if (next) return Number(next.dataset.start);
    var pieces = node.querySelectorAll("[data-start]");
    var last = pieces[pieces.length - 1] || node.closest("[data-start]");
    return last ? Number(last.dataset.start) + Array.from(last.textContent).length : null;
  }

  function selectionIn(container) {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
    var range = selection.getRangeAt(0);
    if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return null;
    var start = offsetIn(range.startContainer, range.startOffset);
    var end = offsetIn(range.endContainer, range.endOffset);
    if (start === null || end === null || end <= start) return null;
    return { start: start, end: end, text: selection.toString() };
  }

  var chosen = null;

  function barFor(container) {
    var bar = container.nextElementSibling;
    return bar && bar.matches("[data-selection-bar]") ? bar : null;
  }

  function spanFormNear(container) {
    var scope = container.closest("[data-claim]") || container.closest(".edit-layout") || document;
    return scope.querySelector('form[data-fields="start end"], form[data-span-form]');
  }

  function showSelection() {
    document.querySelectorAll("[data-selectable]").forEach(function (container) {
      var bar = barFor(container);
      if (!bar) return;
      var found = selectionIn(container);
      if (!found) return;
      chosen = { container: container, span: found };
      bar.hidden = false;
      bar.querySelector("[data-selection-text]").textContent = found.text.trim();
      bar.querySelector("[data-selection-range]").textContent = found.start + "–" + found.end;
      var link = bar.querySelector("[data-new-claim]");
      link.href = "/articles/" + encodeURIComponent(container.dataset.article) + "/claims/new?start=" + found.start + "&end=" + found.end;
      bar.querySelector("[data-use-selection]").hidden = !spanFormNear(container);
    });
  }

  document.addEventListener("mouseup", function () { window.setTimeout(showSelection, 0); });
  document.addEventListener("keyup", function (event) { if (event.shiftKey) showSelection(); });

  document.addEventListener("click", function (event) {
    var use = event.target.closest("[data-use-selection]");
    if (!use || !chosen) return;
    var form = spanFormNear(chosen.container);
    if (!form) return;
    form.querySelector('[name="start"]').value = chosen.span.start;
    form.querySelector('[name="end"]').value = chosen.span.end;
    var preview = form.querySelector("[data-span-preview]");
    if (preview) preview.textContent = chosen.span.text.trim();
    form.querySelector('[name="start"]').focus();
    arm();  // set here, not typed: no input event
  });
})();

// On a claim's page, a save in the editor below it shows in the page above too: the quote,
// facts, source, context, citation and corrections are read again from the page as it now is.
(function () {
  "use strict";
  // The citation names the version to cite, and the corrections log lists the one just made.
  var SHOWN = [".claim-quote", ".summary", ".claim-facts", ".source-chain", ".claim-context",
    "section.cite", "section.corrections"];

  document.addEventListener("claim-saved", function (event) {
    var page = document.querySelector("article.claim-page");
    if (!page || !event.detail || page.id !== "claim-" + event.detail.id) return;
    fetch(window.location.pathname, { headers: { "Cache-Control": "no-cache" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html");
        SHOWN.forEach(function (selector) {
          var now = page.querySelector(selector), then = fresh.querySelector(selector);
          if (now && then) now.replaceWith(document.importNode(then, true));
        });
      });
  });
})();
