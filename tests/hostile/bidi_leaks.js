// For tests/hostile/test_browser.py: the words that follow a text holding a bidi control character
// and read backwards on screen: a Latin word whose first letter is drawn right of its last, or an
// Arabic word whose first letter is drawn left of its last. An override or isolate kept inside its
// element (or closed by isolates around it) leaves them all as they are.
// Checked after such a text: the next few text nodes, up to the next text holding a control; and,
// given `payloads` (the texts that carry the controls), the words after each payload in its own
// text node, up to the next control, where a template joined its own words to it (`name · role`).
// Text that no element can isolate, as it holds no markup (the page's title, its link-preview
// titles, the options of a list), is laid out first, one paragraph each, and checked the same way.
(payloads) => {
  const known = payloads || []; // Playwright passes null when given none
  const CONTROL = /[\u202a-\u202e\u2066-\u2069]/;
  const CLOSERS = /^[\u202c\u2069]*/; // a payload's own closers, or the isolate put around it
  const WORD = /[A-Za-z]{3,}|[\u0621-\u064a]{3,}/g;
  const plain = [
    document.title,
    ...[...document.querySelectorAll("meta[property='og:title'], meta[name='twitter:title']")].map(
      (meta) => meta.content,
    ),
    ...[...document.querySelectorAll("option")].map((option) => option.text),
  ].filter((text) => CONTROL.test(text));
  for (const text of plain) {
    const paragraph = document.createElement("p");
    paragraph.className = "plain-text-laid-out";
    paragraph.textContent = text;
    document.body.append(paragraph);
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  const box = (node, i) => {
    const range = document.createRange();
    range.setStart(node, i);
    range.setEnd(node, i + 1);
    return range.getBoundingClientRect();
  };
  const leaks = [];
  const check = (holder, node, from, to) => {
    for (const word of [...node.data.slice(from, to).matchAll(WORD)].slice(0, 5)) {
      const at = from + word.index;
      const first = box(node, at);
      const last = box(node, at + word[0].length - 1);
      if (!first.width || !last.width || Math.abs(first.top - last.top) > 2) continue;
      const latin = /[A-Za-z]/.test(word[0]);
      if (latin ? first.left > last.left : first.left < last.left) {
        const where = holder.parentElement.tagName.toLowerCase() + "." + holder.parentElement.className;
        leaks.push(`"${word[0]}" after <${where}>${JSON.stringify(holder.data.slice(0, 30))} reads backwards`);
      }
    }
  };
  const afterPayloads = (node) => {
    const ends = [];
    for (const payload of known) {
      for (let at = node.data.indexOf(payload); at !== -1; at = node.data.indexOf(payload, at + 1)) {
        const end = at + payload.length;
        ends.push(end + node.data.slice(end).match(CLOSERS)[0].length);
      }
    }
    return ends;
  };
  nodes.forEach((node, n) => {
    if (!CONTROL.test(node.data)) return;
    for (const from of afterPayloads(node)) {
      const next = node.data.slice(from).search(CONTROL);
      check(node, node, from, next === -1 ? node.data.length : from + next);
    }
    for (const next of nodes.slice(n + 1, n + 4)) {
      if (CONTROL.test(next.data)) break;
      check(node, next, 0, next.data.length);
    }
  });
  return leaks;
}
