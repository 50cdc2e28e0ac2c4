// Search page (theme/templates/search.html) on Pagefind's JavaScript API.
// Why not Pagefind's prebuilt UI: its input has no <label>, its form posts to a
// javascript: URL that a strict Content-Security-Policy blocks, and it brings 130 KB of
// script and CSS with colours of its own. This script renders results with DOM calls
// only (no innerHTML, no inline styles), so it runs under script-src 'self' and
// style-src 'self'; Pagefind's WebAssembly needs 'wasm-unsafe-eval'.

const form = document.querySelector(".search-form");
const input = document.getElementById("search-input");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const moreButton = document.getElementById("search-more");
// Each result shown costs a request for its excerpt: a first search stays light (about
// a dozen requests at 5,000 posts, benchmarks/search_weight.py) and the reader asks for more.
const PAGE_SIZE = 5;
let results = [];
let shownCount = 0;
let shownQuery = "";
let generation = 0;

// The site root is the folder above /theme/, wherever the site is served from.
const siteRoot = new URL("../", import.meta.url);

function say(text) {
  status.textContent = text;
}

// Pagefind's excerpt is HTML: escaped text with <mark> around the matched words.
// Parse it inert and keep only text and <mark>, so nothing else can reach the page.
function excerptNodes(html) {
  const parsed = new DOMParser().parseFromString(html, "text/html");
  return Array.from(parsed.body.childNodes, (node) => {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      return mark;
    }
    return document.createTextNode(node.textContent);
  });
}

function resultItem(data) {
  const item = document.createElement("li");
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = new URL(data.url, siteRoot).href;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  const excerpt = document.createElement("p");
  excerpt.append(...excerptNodes(data.excerpt));
  item.append(heading, excerpt);
  return item;
}

async function show(pagefind, term) {
  const query = term.trim();
  const mine = ++generation;
  if (!query) {
    results = [];
    list.replaceChildren();
    moreButton.hidden = true;
    say("");
    return;
  }
  const search = await pagefind.debouncedSearch(query);
  if (search === null || mine !== generation) {
    return; // a newer search superseded this one
  }
  results = search.results;
  shownCount = 0;
  shownQuery = query;
  list.replaceChildren();
  await showNext(mine);
}

async function showNext(mine) {
  const batch = await Promise.all(results.slice(shownCount, shownCount + PAGE_SIZE).map((r) => r.data()));
  if (mine !== generation) {
    return;
  }
  list.append(...batch.map(resultItem));
  shownCount += batch.length;
  moreButton.hidden = shownCount >= results.length;
  const found = results.length;
  if (found === 0) {
    say(`No results for “${shownQuery}”. Try other words, or browse the archives or tags.`);
  } else {
    const shown = found > shownCount ? `, ${shownCount} shown` : "";
    say(`${found} ${found === 1 ? "result" : "results"} for “${shownQuery}”${shown}.`);
  }
}

function remember(term) {
  const url = new URL(window.location.href);
  if (term.trim()) {
    url.searchParams.set("q", term.trim());
  } else {
    url.searchParams.delete("q");
  }
  window.history.replaceState(null, "", url);
}

// Pagefind (about 100 KB with its WebAssembly) loads when the reader first reaches for
// the search box, not with the page.
let loading = null;
function pagefind() {
  loading ??= (async () => {
    const api = await import(new URL("pagefind/pagefind.js", siteRoot).href);
    await api.options({ baseUrl: siteRoot.pathname });
    await api.init();
    return api;
  })();
  return loading;
}

async function run() {
  try {
    await show(await pagefind(), input.value);
  } catch (error) {
    say("Search is unavailable: its index could not be loaded. Browse the archives or tags instead.");
    console.error(error);
  }
}

input.addEventListener("focus", () => pagefind().catch(() => {}), { once: true });
input.addEventListener("input", () => {
  remember(input.value);
  run();
});
moreButton.addEventListener("click", async () => {
  const first = shownCount;
  await showNext(generation);
  list.children[first]?.querySelector("a")?.focus();
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  run();
});
const initial = new URLSearchParams(window.location.search).get("q");
if (initial) {
  input.value = initial;
  run();
}
