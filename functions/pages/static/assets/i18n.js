// The client pages' words: which languages the pages speak, which one this visitor reads, and `t()`, which
// turns a catalog key into that language's text. Each language's catalog is its own module beside this one
// (locale-en.js, locale-es.js: one flat object of key -> message); only English and the visitor's language
// are loaded. Only a page whose <html> says `data-languages` (every client page) speaks the visitor's
// language; any other (the staff console, which shares common.js) stays in English, with no switch.
//
// A new language: a catalog `locale-<code>.js` with every key of locale-en.js, and one line below.
export const LANGUAGES = {
  en: { name: "English", locale: "en-US" },
  es: { name: "Español", locale: "es-US" },
};

const FALLBACK = "en";
const CHOICE = "language";  // localStorage: the language this visitor chose last, on any page

// "es", "es-MX", "ES_us" -> "es"; anything the pages do not speak -> null.
export function supported(code) {
  const primary = String(code ?? "").trim().toLowerCase().split(/[-_]/)[0];
  return Object.hasOwn(LANGUAGES, primary) ? primary : null;
}

function remembered() {
  try { return localStorage.getItem(CHOICE); } catch { return null; }  // storage can be switched off
}

function remember(code) {
  try { localStorage.setItem(CHOICE, code); } catch { /* the choice then lasts for this page only */ }
}

const MULTILINGUAL = document.documentElement.hasAttribute("data-languages");

// `?lang=` in the address (an email's link, or the switch), else the visitor's earlier choice, else the
// browser's languages in their order, else English. An unknown code reads English, never an error.
function chosenLanguage() {
  if (!MULTILINGUAL) return FALLBACK;
  const asked = new URLSearchParams(location.search).get("lang");
  if (asked !== null) {
    const code = supported(asked) || FALLBACK;
    if (supported(asked)) remember(code);
    return code;
  }
  const earlier = supported(remembered());
  if (earlier) return earlier;
  for (const code of navigator.languages || [navigator.language]) {
    if (supported(code)) return supported(code);
  }
  return FALLBACK;
}

export const lang = chosenLanguage();
export const locale = LANGUAGES[lang].locale;

const [english, own] = await Promise.all([
  import("./locale-en.js"),
  lang === FALLBACK ? null : import(`./locale-${lang}.js`),
]).then(([en, other]) => [en.default, other ? other.default : en.default]);

const plurals = new Intl.PluralRules(locale);
const numbers = new Intl.NumberFormat(locale);

function message(key, params) {
  // A key this language's catalog lacks reads in English (tests/unit/test_page_catalogs.py fails on it).
  let text = own[key] ?? english[key];
  if (text === undefined) return key;
  if (typeof text === "object") {
    const count = Number(params.n);
    text = text[plurals.select(count)] ?? text.other;
  }
  return text;
}

function shown(value) {
  return typeof value === "number" ? numbers.format(value) : String(value);
}

// t("status.updated", {when: "..."}): the message with each {name} filled in. A message that has plural
// forms ({one: ..., other: ...}, the language's Intl.PluralRules categories) chooses one by `n`.
export function t(key, params = {}) {
  return message(key, params).replace(/\{(\w+)\}/g, (whole, name) => (name in params ? shown(params[name]) : whole));
}

// The same, as parts for el(): a parameter that is a node (a link, a <strong>) stays a node, in the place
// the language puts it.
export function tParts(key, params = {}) {
  return message(key, params).split(/(\{\w+\})/).filter((part) => part !== "").map((part) => {
    const name = /^\{(\w+)\}$/.exec(part)?.[1];
    if (!name || !(name in params)) return part;
    return params[name] instanceof Node ? params[name] : shown(params[name]);
  });
}

// Dates, times, lists and money as this language writes them.
export function dateTime(iso, options = { dateStyle: "medium", timeStyle: "short" }) {
  return new Intl.DateTimeFormat(locale, options).format(new Date(iso));
}

export function list(items, type = "conjunction") {
  return new Intl.ListFormat(locale, { style: "long", type }).format(items);
}

export function dollars(amount) {
  return new Intl.NumberFormat(locale, { style: "currency", currency: "USD", maximumFractionDigits: 0 }).format(amount);
}

// A fragment written in another language than the page (a counselor's bio, written in English; reasons
// stored in the intake's language): `lang` on it, so a screen reader reads it in its own voice.
export function markLanguage(node, code) {
  const written = supported(code) || FALLBACK;
  if (written !== lang) node.setAttribute("lang", written);
  return node;
}

// The address of this page in another language: the same page, query and place, with ?lang= set.
function addressIn(code) {
  const url = new URL(location.href);
  url.searchParams.set("lang", code);
  return url.pathname + url.search + url.hash;
}

// The switch: each language by its own name, in its own language. Choosing one reloads the page in it;
// what the page keeps in this tab (the intake's answers and step, a private link) is still there.
function languageSwitch() {
  const nav = document.createElement("nav");
  nav.className = "language-switch";
  nav.setAttribute("aria-label", t("switch.label"));
  const items = document.createElement("ul");
  for (const [code, { name }] of Object.entries(LANGUAGES)) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = addressIn(code);
    link.lang = code;
    link.hreflang = code;
    link.textContent = name;
    if (code === lang) link.setAttribute("aria-current", "true");
    link.addEventListener("click", () => remember(code));
    item.append(link);
    items.append(item);
  }
  nav.append(items);
  return nav;
}

// The words written in a page's HTML: `data-i18n="key"` replaces an element's text; a child with
// `data-i18n-slot="name"` (itself translated) is put where the message says {name}. A <title> may carry
// the practice's name in `data-practice`.
function translateStatic() {
  for (const node of document.querySelectorAll("[data-i18n]:not([data-i18n-slot])")) {
    const slots = Object.fromEntries([...node.querySelectorAll("[data-i18n-slot]")].map((slot) => {
      slot.textContent = t(slot.dataset.i18n);
      return [slot.dataset.i18nSlot, slot];
    }));
    const params = { ...slots, practice: node.dataset.practice ?? "" };
    node.replaceChildren(...tParts(node.dataset.i18n, params));
  }
}

if (MULTILINGUAL) {
  document.documentElement.lang = lang;
  translateStatic();
  document.querySelector("header.site")?.append(languageSwitch());
}
