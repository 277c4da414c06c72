// Search page: Pagefind's JS API, results built with DOM methods.
// The CSP allows no inline script or style, and a result's text must never become markup: only the
// <mark> elements of Pagefind's excerpt are kept, everything else is copied as text.
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const form = document.querySelector("form.search-page");
const input = form.querySelector("input[name=q]");
const MAX = 20;
let pagefind = null;
let latest = 0;

function say(key, values) {
  let text = status.dataset[key] || "";
  for (const [name, value] of Object.entries(values || {})) text = text.replaceAll(`{${name}}`, value);
  status.textContent = text;
}

// The index is in shards, one per language and quarter (plugins/digest/search_index.py), listed
// newest first in pagefind/shards.json (data-bundle): the newest is imported, the others merged
// into it. The list is fetched past the cache, so a search always uses the latest build's shards.
async function shardsOf(lang) {
  try {
    const answer = await fetch(bundleUrl(), { cache: "no-store" });
    if (!answer.ok) return null;
    const names = ((await answer.json()).languages || {})[lang];
    return Array.isArray(names) ? names.filter((n) => /^[a-z0-9-]+$/i.test(n)) : null;
  } catch (error) {
    return null;
  }
}

function bundleUrl() {
  return new URL(status.dataset.bundle, window.location.href);
}

async function engine() {
  if (!pagefind) {
    const options = { baseUrl: status.dataset.base, excerptLength: 24 };
    const names = await shardsOf(document.documentElement.lang);
    if (names === null) {
      // A whole-site index made by Pagefind's CLI, where there are no shards.
      pagefind = await import(new URL("pagefind.js", bundleUrl()).href);
      await pagefind.options(options);
    } else if (names.length === 0) {
      pagefind = { search: async () => ({ results: [] }) }; // nothing published in this language
      return pagefind;
    } else {
      const folder = (name) => new URL(`${name}/`, bundleUrl());
      pagefind = await import(new URL("pagefind.js", folder(names[0])).href);
      await pagefind.options(options);
      for (const name of names.slice(1)) {
        await pagefind.mergeIndex(folder(name).pathname, { baseUrl: status.dataset.base });
      }
    }
    pagefind.init();
  }
  return pagefind;
}

function excerptNodes(html) {
  // A DOMParser document is inert: nothing in it runs or loads.
  const parsed = new DOMParser().parseFromString(html, "text/html").body;
  const out = document.createDocumentFragment();
  for (const node of parsed.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      out.append(mark);
    } else {
      out.append(document.createTextNode(node.textContent));
    }
  }
  return out;
}

function render(item) {
  const li = document.createElement("li");
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = item.url;
  link.textContent = (item.meta && item.meta.title) || item.url;
  heading.append(link);
  li.append(heading);
  if (item.meta && item.meta.date) {
    const date = document.createElement("p");
    date.className = "meta";
    date.textContent = item.meta.date;
    li.append(date);
  }
  // Marked as an excerpt: a passage cut out of the post, not its summary.
  const excerpt = document.createElement("p");
  excerpt.className = "excerpt";
  const label = document.createElement("span");
  label.className = "excerpt-label";
  label.textContent = status.dataset.excerpt || "";
  excerpt.append(label, "…", excerptNodes(item.excerpt || ""), "…");
  li.append(excerpt);
  return li;
}

function keepQuery(query) {
  // The language switcher leads to the same search in the other language.
  for (const link of document.querySelectorAll(".lang-switch a[href]")) {
    const url = new URL(link.href, window.location.href);
    if (query) url.searchParams.set("q", query);
    else url.searchParams.delete("q");
    link.href = url.href;
  }
}

async function run(query) {
  const ticket = ++latest;
  query = query.trim();
  keepQuery(query);
  list.replaceChildren();
  if (!query) {
    status.textContent = "";
    return;
  }
  say("loading");
  try {
    const pf = await engine();
    const found = await pf.search(query);
    const items = await Promise.all(found.results.slice(0, MAX).map((r) => r.data()));
    if (ticket !== latest) return; // a newer query is on its way
    const n = found.results.length;
    say(n === 0 ? "none" : n === 1 ? "one" : "many", { n: String(n), q: query });
    list.replaceChildren(...items.map(render));
  } catch (error) {
    if (ticket === latest) say("error");
    console.error(error);
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const url = new URL(window.location.href);
  url.searchParams.set("q", input.value);
  window.history.replaceState(null, "", url);
  run(input.value);
});

let timer = 0;
input.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(() => run(input.value), 250);
});

const initial = new URLSearchParams(window.location.search).get("q");
if (initial) {
  input.value = initial;
  run(initial);
}
