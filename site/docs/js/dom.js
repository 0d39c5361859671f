// The one DOM helper of the site's scripts. Text is set as text, never parsed as HTML, so codes,
// titles and messages from the API cannot inject markup; attributes are set one by one
// (`{ class: "cd-ok", href: "…" }`). Event handlers are added with addEventListener, never as on*=
// attributes: the Content-Security-Policy allows no inline script.
export function element(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}
