// The helpers every page script shares, each written once. Text is set as text, never parsed as HTML, so codes,
// titles and messages from the API cannot inject markup; attributes are set one by one
// (`{ class: "cd-ok", href: "…" }`). Event handlers are added with addEventListener, never as on*=
// attributes: the Content-Security-Policy allows no inline script.
export function element(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

// A table of headings and rows; a cell is text (set as text) or a node (a link, a button).
export function table(headings, rows) {
  const whole = element("table");
  const head = whole.createTHead().insertRow();
  for (const heading of headings) head.appendChild(element("th", heading));
  const body = whole.createTBody();
  for (const cells of rows) {
    const row = body.insertRow();
    for (const cell of cells) {
      const td = row.insertCell();
      if (cell instanceof Node) td.appendChild(cell);
      else td.textContent = cell ?? "";
    }
  }
  return whole;
}

// A name as people pickers compare it: without accents or case, with one kind of apostrophe and
// single spaces ("maria o'neil" finds "María  O’Neil").
export function folded(text) {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").replace(/\u2019/g, "'").toLowerCase().replace(/\s+/g, " ").trim();
}
