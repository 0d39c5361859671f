// MkDocs Material's inline script after the page content (see site/overrides/partials/javascripts/
// content.html), in a file for the Content-Security-Policy: a link to a content tab opens that tab.
{
  const target = document.getElementById(location.hash.slice(1));
  if (target && target.name) target.checked = target.name.startsWith("__tabbed_");
}
