// MkDocs Material's storage helpers, which its theme writes inline into every page (see
// site/overrides/partials/javascripts/base.html): the same code, in a file, so the site's
// Content-Security-Policy needs no 'unsafe-inline' for scripts. A classic script, run before
// Material's bundle, which reads these globals. The scope is the site root: this file is in js/.
__md_scope = new URL("..", document.currentScript.src);
__md_hash = (e) => [...e].reduce((e, _) => (e << 5) - e + _.charCodeAt(0), 0);
__md_get = (e, _ = localStorage, t = __md_scope) => JSON.parse(_.getItem(t.pathname + "." + e));
__md_set = (e, _, t = localStorage, a = __md_scope) => {
  try {
    t.setItem(a.pathname + "." + e, JSON.stringify(_));
  } catch (e) {}
};
