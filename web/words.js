// words.js — every word of the page, in the reader's language. The server picks it
// (the browser's Accept-Language, else its own) and sends the words with it:
// GET /api/words → { lang, words: { "webchat-send": "Send", … } }, from its message
// catalogs (locales/en/webchat.ftl, locales/fr/webchat.ftl). The page holds none.
//
// In index.html an element names its words: data-words="webchat-send" for its text,
// data-words-placeholder and data-words-label for those attributes. A word's {name}
// placeholders are filled from values (t), or from the element's own children marked
// data-slot="name" (such as the <code> of the insecure-context warning).

let lang = "en";
let words = {};

// Fetches the words and puts them into the page; the <html lang> follows.
export async function load() {
  const response = await fetch("/api/words", { cache: "no-store" });
  if (!response.ok) throw new Error(`/api/words: ${response.status}`);
  ({ lang, words } = await response.json());
  document.documentElement.lang = lang;
  for (const element of document.querySelectorAll("[data-words]")) {
    fillElement(element, element.dataset.words);
  }
  for (const element of document.querySelectorAll("[data-words-placeholder]")) {
    element.placeholder = t(element.dataset.wordsPlaceholder);
  }
  for (const element of document.querySelectorAll("[data-words-label]")) {
    element.setAttribute("aria-label", t(element.dataset.wordsLabel));
  }
}

// The page's language code: "en", "fr".
export function language() {
  return lang;
}

// The words of `key` with each {name} replaced by values[name]; a key the server did
// not send comes back as itself, as the server's own catalogs do.
export function t(key, values = {}) {
  const template = words[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

// Sets the element's content to the words of `key`: text nodes, and in place of each
// {name} the element's child marked data-slot="name", moved where the language puts it.
export function fillElement(element, key, values = {}) {
  const slots = new Map();
  for (const child of element.querySelectorAll(":scope > [data-slot]")) {
    slots.set(child.dataset.slot, child);
  }
  const template = t(key, values);
  const parts = [];
  let last = 0;
  for (const match of template.matchAll(/\{(\w+)\}/g)) {
    const slot = slots.get(match[1]);
    if (!slot) continue;
    parts.push(template.slice(last, match.index), slot);
    last = match.index + match[0].length;
  }
  parts.push(template.slice(last));
  // Strings become text nodes: nothing here is ever parsed as HTML.
  element.replaceChildren(...parts.filter((part) => part !== ""));
}
