// Claim pages: copy buttons for the address and the citations. No inline scripts (strict CSP).
"use strict";

function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    return navigator.clipboard.writeText(text);
  }
  // Plain http (a newsroom's intranet, the tests): the older selection-based copy.
  const focused = document.activeElement;
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.className = "copy-buffer";
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand("copy");
  area.remove();
  focused?.focus();  // back on the button: a keyboard user's place on the page is kept
  return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const source = document.getElementById(button.dataset.copy);
  const status = document.querySelector(".copy-status");
  // The messages come from the page, in the reader's language.
  copyText(source.textContent.trim()).then(
    () => { status.textContent = button.dataset.copied; },
    () => { status.textContent = status.dataset.refused; },
  );
});
