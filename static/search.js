/* Warraq search page: reads ?q= and ?topic=, asks the Pagefind bundle, and
   shows each result's headline, date and an excerpt with the matched words
   marked.

   The index holds every article twice over: its own words and their
   matching keys (generator.text.normalise: hamza, ى/ي, ة/ه, tashkeel,
   tatweel, proclitics, digits). The reader's query is turned into the same
   keys here, by a port of normalise that the tests hold equal to Python's
   word for word. Keys are never shown: the excerpt is cut from the text
   before SEPARATOR, which generator/search.py puts between an article's
   words and its keys. */

(function () {
  "use strict";

  // ---- normalise: generator/text.py, line for line -------------------------

  const TASHKEEL = /[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed]/gu;
  const TATWEEL = /\u0640/gu;
  const LETTER_FOLDS = {
    "\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627",
    "\u0649": "\u064a", "\u0629": "\u0647", "\u0624": "\u0621", "\u0626": "\u0621",
  };
  const FOLDED = /[\u0623\u0625\u0622\u0671\u0649\u0629\u0624\u0626]/gu;
  const DIGITS = /[\u0660-\u0669\u06f0-\u06f9]/gu; // Arabic-Indic and Persian: 0-9
  const WORD = /[\p{L}\p{N}_]+/gu; // Python's \w on str: letters, numbers, "_"
  const PREFIXES = ["وبال", "وكال", "وال", "فال", "بال", "كال", "لل", "ال"];
  const SINGLE_PROCLITICS = "وفبلك";

  // Where Python's str.casefold differs from lower case, for letters that
  // NFKC keeps: ß, final σ, Greek with iota subscript, old Cyrillic forms
  // (Cherokee, which folds to capitals, is done by arithmetic).
  const CASE_FOLDS = {
    "\u00df": "ss", "\u01f0": "j\u030c", "\u0345": "\u03b9", "\u0390": "\u03b9\u0308\u0301",
    "\u03b0": "\u03c5\u0308\u0301", "\u03c2": "\u03c3", "\u1c80": "\u0432", "\u1c81": "\u0434",
    "\u1c82": "\u043e", "\u1c83": "\u0441", "\u1c84": "\u0442", "\u1c85": "\u0442",
    "\u1c86": "\u044a", "\u1c87": "\u0463", "\u1c88": "\ua64b", "\u1e96": "h\u0331",
    "\u1e97": "t\u0308", "\u1e98": "w\u030a", "\u1e99": "y\u030a", "\u1f50": "\u03c5\u0313",
    "\u1f52": "\u03c5\u0313\u0300", "\u1f54": "\u03c5\u0313\u0301",
    "\u1f56": "\u03c5\u0313\u0342", "\u1f80": "\u1f00\u03b9", "\u1f81": "\u1f01\u03b9",
    "\u1f82": "\u1f02\u03b9", "\u1f83": "\u1f03\u03b9", "\u1f84": "\u1f04\u03b9",
    "\u1f85": "\u1f05\u03b9", "\u1f86": "\u1f06\u03b9", "\u1f87": "\u1f07\u03b9",
    "\u1f90": "\u1f20\u03b9", "\u1f91": "\u1f21\u03b9", "\u1f92": "\u1f22\u03b9",
    "\u1f93": "\u1f23\u03b9", "\u1f94": "\u1f24\u03b9", "\u1f95": "\u1f25\u03b9",
    "\u1f96": "\u1f26\u03b9", "\u1f97": "\u1f27\u03b9", "\u1fa0": "\u1f60\u03b9",
    "\u1fa1": "\u1f61\u03b9", "\u1fa2": "\u1f62\u03b9", "\u1fa3": "\u1f63\u03b9",
    "\u1fa4": "\u1f64\u03b9", "\u1fa5": "\u1f65\u03b9", "\u1fa6": "\u1f66\u03b9",
    "\u1fa7": "\u1f67\u03b9", "\u1fb2": "\u1f70\u03b9", "\u1fb3": "\u03b1\u03b9",
    "\u1fb4": "\u03ac\u03b9", "\u1fb6": "\u03b1\u0342", "\u1fb7": "\u03b1\u0342\u03b9",
    "\u1fc2": "\u1f74\u03b9", "\u1fc3": "\u03b7\u03b9", "\u1fc4": "\u03ae\u03b9",
    "\u1fc6": "\u03b7\u0342", "\u1fc7": "\u03b7\u0342\u03b9", "\u1fd2": "\u03b9\u0308\u0300",
    "\u1fd6": "\u03b9\u0342", "\u1fd7": "\u03b9\u0308\u0342", "\u1fe2": "\u03c5\u0308\u0300",
    "\u1fe4": "\u03c1\u0313", "\u1fe6": "\u03c5\u0342", "\u1fe7": "\u03c5\u0308\u0342",
    "\u1ff2": "\u1f7c\u03b9", "\u1ff3": "\u03c9\u03b9", "\u1ff4": "\u03ce\u03b9",
    "\u1ff6": "\u03c9\u0342", "\u1ff7": "\u03c9\u0342\u03b9",
  };
  const CASE_FOLDED = new RegExp("[" + Object.keys(CASE_FOLDS).join("") + "]", "gu");
  const CHEROKEE_SMALL = /[\u13f8-\u13fd\uab70-\uabbf]/gu; // fold to the capitals

  function casefold(text) {
    return text.toLowerCase()
      .replace(CASE_FOLDED, (c) => CASE_FOLDS[c])
      .replace(CHEROKEE_SMALL, (c) => {
        const code = c.charCodeAt(0);
        return String.fromCharCode(code < 0xab70 ? code - 8 : code - 0xab70 + 0x13a0);
      });
  }

  function wordsOf(text) {
    const marked = text.normalize("NFKC").replace(TASHKEEL, "").replace(TATWEEL, "");
    const folded = casefold(marked)
      .replace(FOLDED, (c) => LETTER_FOLDS[c])
      .replace(DIGITS, (c) => {
        const code = c.charCodeAt(0);
        return String(code - (code < 0x06f0 ? 0x0660 : 0x06f0));
      });
    return folded.match(WORD) || [];
  }

  function stripOnce(word) {
    const length = Array.from(word).length; // code points, as Python's len
    for (const prefix of PREFIXES) {
      if (word.startsWith(prefix) && length - prefix.length >= 3) {
        return word.slice(prefix.length);
      }
    }
    if (length >= 4 && SINGLE_PROCLITICS.includes(word.charAt(0))) {
      return word.slice(1);
    }
    return word;
  }

  function stem(word) {
    for (;;) {
      const shorter = stripOnce(word);
      if (shorter === word) return word;
      word = shorter;
    }
  }

  function normalise(text) {
    return wordsOf(text).map(stem).join(" ");
  }

  // ---- excerpts: the article's own words, the matched ones marked ----------

  const SEPARATOR = " \u2042 "; // generator/search.py: words, SEPARATOR, keys
  const SHOWN_WORD = /[\p{L}\p{M}\p{N}_\u0640]+/gu; // marks kept, as the reader sees it
  const EXCERPT_WORDS = 30;
  const WORDS_BEFORE = 8;

  function originalText(content) {
    const cut = content.lastIndexOf(SEPARATOR);
    return cut < 0 ? content : content.slice(0, cut);
  }

  function matches(word, terms) {
    return normalise(word).split(" ").some(
      (key) => key !== "" && terms.some((term) => key.startsWith(term)));
  }

  /* [{text, mark}] pieces of at most EXCERPT_WORDS words of ``text``,
     starting a little before the first word that matches ``terms``. */
  function excerptParts(text, terms) {
    const words = Array.from(text.matchAll(SHOWN_WORD));
    if (words.length === 0) return [];
    const first = Math.max(0, words.findIndex((w) => matches(w[0], terms)));
    const to = Math.min(words.length, Math.max(first - WORDS_BEFORE, 0) + EXCERPT_WORDS);
    const from = Math.max(0, to - EXCERPT_WORDS);
    const end = (i) => words[i].index + words[i][0].length;
    const parts = [{ text: from > 0 ? "… " : text.slice(0, words[0].index), mark: false }];
    for (let i = from; i < to; i += 1) {
      if (i > from) parts.push({ text: text.slice(end(i - 1), words[i].index), mark: false });
      parts.push({ text: words[i][0], mark: matches(words[i][0], terms) });
    }
    parts.push({ text: to < words.length ? " …" : text.slice(end(to - 1)), mark: false });
    return parts.filter((part) => part.text !== "");
  }

  // ---- the page -------------------------------------------------------------

  const PAGE_SIZE = 10;
  const TYPING_PAUSE_MS = 250;

  function element(name, attributes, ...children) {
    const node = document.createElement(name);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
    node.append(...children);
    return node;
  }

  function shownDate(iso, lang) {
    const date = new Date(iso + "T00:00:00Z");
    if (Number.isNaN(date.getTime())) return iso;
    try {
      return new Intl.DateTimeFormat(lang, { dateStyle: "long", timeZone: "UTC" }).format(date);
    } catch (error) {
      return iso;
    }
  }

  function resultItem(data, terms) {
    const meta = data.meta;
    const lang = meta.lang || document.documentElement.lang;
    const dir = meta.dir || document.documentElement.dir;
    const excerpt = element("p", { class: "search-excerpt" });
    for (const part of excerptParts(originalText(data.content), terms)) {
      excerpt.append(part.mark ? element("mark", {}, part.text) : part.text);
    }
    return element("li", { class: "search-result", lang: lang, dir: dir },
      element("h2", { class: "search-result-title", dir: dir },
        element("a", { href: meta.url }, meta.title)),
      element("p", { class: "meta" },
        element("time", { datetime: meta.date }, shownDate(meta.date, lang))),
      excerpt);
  }

  function start(root) {
    const form = root.querySelector("form");
    const box = form.querySelector("input[type=search]");
    const topic = form.querySelector("select");
    const status = root.querySelector(".search-status");
    const list = root.querySelector(".search-results");
    const more = root.querySelector(".search-more");
    const siteLang = document.documentElement.lang;
    let loading = null;
    let current = 0; // the newest search; older answers are dropped
    let pending = [];
    let terms = [];
    let timer = 0;

    function pagefind() {
      loading = loading || import(root.dataset.pagefind).then(async (module) => {
        await module.options({ excerptLength: 0 });
        return module;
      });
      return loading;
    }

    function say(text) {
      status.textContent = text;
      status.hidden = text === "";
    }

    async function showMore(ticket) {
      const batch = pending.splice(0, PAGE_SIZE);
      const found = await Promise.all(batch.map((result) => result.data()));
      if (ticket !== current) return;
      list.append(...found.map((data) => resultItem(data, terms)));
      more.hidden = pending.length === 0;
    }

    async function run() {
      const ticket = (current += 1);
      const query = normalise(box.value);
      // a topic is a word of its own in the index (see generator/search.py)
      const token = topic.value ? topic.selectedOptions[0].dataset.token : "";
      remember();
      if (query === "" && topic.value === "") {
        list.replaceChildren();
        more.hidden = true;
        say("");
        return;
      }
      root.setAttribute("aria-busy", "true");
      try {
        const words = [token, query].filter((word) => word !== "").join(" ");
        const search = await (await pagefind()).search(
          words, query === "" ? { sort: { date: "desc" } } : {});
        if (ticket !== current) return;
        pending = search.results.slice();
        terms = query === "" ? [] : query.split(" ");
        list.replaceChildren();
        const count = pending.length;
        await showMore(ticket);
        if (ticket !== current) return;
        // the count is said once the first results stand below it
        say(count === 0 ? root.dataset.none
          : root.dataset.count + " " + count.toLocaleString(siteLang));
      } catch (error) {
        if (ticket === current) say(root.dataset.failed);
        console.error(error);
      } finally {
        if (ticket === current) root.removeAttribute("aria-busy");
      }
    }

    function remember() {
      const params = new URLSearchParams();
      if (box.value.trim() !== "") params.set("q", box.value.trim());
      if (topic.value !== "") params.set("topic", topic.value);
      const search = params.toString();
      history.replaceState(null, "", location.pathname + (search ? "?" + search : ""));
    }

    const params = new URLSearchParams(location.search);
    box.value = params.get("q") || "";
    if (Array.from(topic.options).some((option) => option.value === params.get("topic"))) {
      topic.value = params.get("topic");
    }
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      clearTimeout(timer);
      run();
    });
    box.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(run, TYPING_PAUSE_MS);
    });
    topic.addEventListener("change", run);
    more.addEventListener("click", () => showMore(current));
    root.classList.add("search-ready");
    if (box.value !== "" || topic.value !== "") run();
  }

  globalThis.warraqSearch = Object.freeze({ normalise, wordsOf, stem, excerptParts });
  document.addEventListener("DOMContentLoaded", () => {
    const root = document.querySelector("[data-pagefind]");
    if (root) start(root);
  });
})();
