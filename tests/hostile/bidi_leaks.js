// For tests/hostile/test_browser.py: the words that follow a text holding a bidi control character
// (the next few text nodes, up to the next such text) and read backwards on screen: a Latin word
// whose first letter is drawn right of its last, or an Arabic word whose first letter is drawn
// left of its last. An override or isolate kept inside its element leaves them all as they are.
() => {
  const CONTROL = /[\u202a-\u202e\u2066-\u2069]/;
  const WORD = /[A-Za-z]{3,}|[\u0621-\u064a]{3,}/g;
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
  nodes.forEach((node, n) => {
    if (!CONTROL.test(node.data)) return;
    for (const next of nodes.slice(n + 1, n + 4)) {
      if (CONTROL.test(next.data)) break;
      for (const word of [...next.data.matchAll(WORD)].slice(0, 5)) {
        const first = box(next, word.index);
        const last = box(next, word.index + word[0].length - 1);
        if (!first.width || !last.width || Math.abs(first.top - last.top) > 2) continue;
        const latin = /[A-Za-z]/.test(word[0]);
        if (latin ? first.left > last.left : first.left < last.left) {
          const where = node.parentElement.tagName.toLowerCase() + "." + node.parentElement.className;
          leaks.push(`"${word[0]}" after <${where}>${JSON.stringify(node.data.slice(0, 30))} reads backwards`);
        }
      }
    }
  });
  return leaks;
}
