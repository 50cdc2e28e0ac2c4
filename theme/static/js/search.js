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
const options = form.querySelector(".search-options");
const section = document.getElementById("search-section");
const year = document.getElementById("search-year");
const order = document.getElementById("search-sort");
const PARAMETERS = { q: input, section, year, sort: order };
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
  // A post in another language than the site's says so (its h1's lang, plugins/languages.py),
  // and one written the other way (Arabic on an English site) its direction too: a browser lays
  // out text by dir, never by lang, so its punctuation and the highlighted words would run wrong.
  if (data.meta.lang) {
    link.lang = data.meta.lang;
    excerpt.lang = data.meta.lang;
  }
  if (data.meta.dir) {
    link.dir = data.meta.dir;
    excerpt.dir = data.meta.dir;
  }
  item.append(heading);
  // A post's date and section (article_header.html); a page has neither.
  const about = [data.meta.date, data.meta.section].filter(Boolean).join(" · ");
  if (about) {
    const line = document.createElement("p");
    line.className = "search-about";
    line.textContent = about;
    item.append(line);
  }
  item.append(excerpt);
  return item;
}

// "for “xen” in Linux from 2011": what the results are of, in the status line.
function scope(query) {
  const parts = [query && `for “${query}”`, section.value && `in ${section.value}`, year.value && `from ${year.value}`];
  return parts.filter(Boolean).join(" ");
}

function searchOptions() {
  const filters = {};
  if (section.value) filters.section = section.value;
  if (year.value) filters.year = year.value;
  // Sorting by date leaves out what has none (pages): hence "Newest posts first".
  return { filters, sort: order.value ? { date: order.value } : undefined };
}

async function show(pagefind, term) {
  const query = term.trim();
  const mine = ++generation;
  if (!query && !section.value && !year.value) {
    results = [];
    list.replaceChildren();
    moreButton.hidden = true;
    say("");
    return;
  }
  const search = await pagefind.debouncedSearch(query || null, searchOptions());
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
  const what = scope(shownQuery);
  if (found === 0) {
    const others = section.value || year.value ? "other words or filters" : "other words";
    say(`No results ${what}. Try ${others}, or browse the archives or tags.`);
  } else {
    const shown = found > shownCount ? `, ${shownCount} shown` : "";
    const sorted = order.value ? `, ${order.selectedOptions[0].text.toLowerCase()}` : "";
    say(`${found} ${found === 1 ? "result" : "results"} ${what}${shown}${sorted}.`);
  }
}

// The address keeps the search (words, filters, order), so that it can be shared.
function remember() {
  const url = new URL(window.location.href);
  for (const [name, control] of Object.entries(PARAMETERS)) {
    if (control.value.trim()) {
      url.searchParams.set(name, control.value.trim());
    } else {
      url.searchParams.delete(name);
    }
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
  remember();
  run();
});
options.addEventListener("change", () => {
  remember();
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
// A shared address's search; a choice the page does not offer is dropped.
const initial = new URLSearchParams(window.location.search);
for (const [name, control] of Object.entries(PARAMETERS)) {
  control.value = initial.get(name) ?? "";
  if (control.selectedIndex < 0) {
    control.value = "";
  }
}
options.classList.add("ready");
if (input.value || section.value || year.value) {
  run();
}
