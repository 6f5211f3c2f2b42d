// Shared by every page: configuration, the API, and small DOM helpers that never use innerHTML,
// so nothing a person typed (or an API returned) can ever become markup. Every word comes from the
// catalogs (i18n.js); the API is asked for the page's language too (`lang` on its GETs).
import { lang, t, tParts } from "./i18n.js";

export { lang, t, tParts };

let configPromise;
let vocabularyPromise;

export function config() {
  configPromise ??= fetch("config.json", { cache: "no-store" }).then((r) => r.json());
  return configPromise;
}

export function vocabulary() {
  vocabularyPromise ??= fetch(withLanguage("vocabulary")).then((r) => {
    if (!r.ok) throw new Error("vocabulary unavailable");
    return r.json();
  }).then((v) => v.lists);
  return vocabularyPromise;
}

// A private link (status or check-in) carries its secret after "#", which the browser never sends to a
// server. The page reads it once, keeps it in this tab's sessionStorage (so a reload still works), and takes
// it out of the address bar and the tab's history entry, where a shoulder, a shared screen or the back
// button would show it. A link opened again (or pasted into this tab) replaces the kept one.
export function privateLink(key) {
  let fragment = decodeURIComponent(location.hash.slice(1));
  if (fragment) {
    const parts = fragment.split(".");
    if (parts.length > 2 && LINK_PLACES.has(parts.at(-1))) {
      openAt(parts.pop());
      fragment = parts.join(".");
    }
    sessionStorage.setItem(key, fragment);
    history.replaceState(null, "", location.pathname + location.search);
  }
  window.addEventListener("hashchange", () => location.reload(), { once: true });
  return sessionStorage.getItem(key) || "";
}

// A link may name a place on its page after the token ("status#<reference>.<token>.someone-else", from the
// email after a check-in that puts the bond at risk; tokens never contain a dot). The page opens there once it
// has drawn that place, and the place is not kept with the link: a reload starts at the top.
const LINK_PLACES = new Set(["someone-else"]);

function openAt(place) {
  const reach = () => {
    const target = document.getElementById(place);
    if (!target) return false;
    const focusable = target.querySelector("h2, h3") || target;
    if (!focusable.hasAttribute("tabindex")) focusable.setAttribute("tabindex", "-1");
    target.scrollIntoView({ block: "start" });
    focusable.focus({ preventScroll: true });
    return true;
  };
  const watch = new MutationObserver(() => { if (reach()) watch.disconnect(); });
  watch.observe(document.documentElement, { childList: true, subtree: true });
  setTimeout(() => watch.disconnect(), 15000);  // the page never drew it (another state): stay where it is
}

export function forgetPrivateLink(key) {
  sessionStorage.removeItem(key);
}

// A GET path with the page's language as `lang` (the API answers in it; English needs none).
export function withLanguage(path) {
  if (lang === "en") return path;
  return `${path}${path.includes("?") ? "&" : "?"}lang=${encodeURIComponent(lang)}`;
}

// Calls the API on this origin. Returns {ok, status, body, headers}; a network failure gives status 0.
// A GET carries the page's language (withLanguage); every call also says it in Accept-Language.
export async function api(path, { method = "GET", body, headers = {}, token } = {}) {
  const sent = { "Accept-Language": lang, ...headers };
  if (method === "GET") path = withLanguage(path);
  if (body !== undefined) sent["Content-Type"] = "application/json";
  if (token) sent["Authorization"] = token;
  let response;
  try {
    response = await fetch(path, { method, headers: sent, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (error) {
    return { ok: false, status: 0, body: null, headers: new Headers() };
  }
  let parsed = null;
  const text = await response.text();
  if (text) {
    try { parsed = JSON.parse(text); } catch { parsed = null; }
  }
  return { ok: response.ok, status: response.status, body: parsed, headers: response.headers };
}

// el("p", {class: "hint"}, "text", child, ...): attributes are set as attributes, children as text or nodes.
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on") && typeof value === "function") node.addEventListener(name.slice(2), value);
    else if (value === true) node.setAttribute(name, "");
    else node.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clear(node) {
  while (node.firstChild) node.firstChild.remove();
  return node;
}

export function labelOf(lists, listName, value) {
  const found = (lists[listName] || []).find((c) => c.value === value);
  return found ? found.label : String(value);
}

export function labelsOf(lists, listName, values) {
  return (values || []).map((v) => labelOf(lists, listName, v));
}

let idCounter = 0;
export function uniqueId(prefix) {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

// A fieldset of checkboxes or radios. `name` is the form field; values are the vocabulary's.
export function choiceGroup({ name, legend, hint, options, type = "checkbox", columns = true, id, max }) {
  const fieldsetId = id || `f-${name.replaceAll(".", "-")}`;
  const hintId = hint ? `${fieldsetId}-hint` : null;
  const fieldset = el("fieldset", { id: fieldsetId, "aria-describedby": hintId, "data-field": name, "data-max": max });
  fieldset.append(el("legend", {}, legend));
  if (hint) fieldset.append(el("p", { class: "hint", id: hintId }, hint));
  const box = el("div", { class: columns ? "choices two" : "choices" });
  for (const option of options) {
    const inputId = uniqueId(fieldsetId);
    box.append(
      el("div", { class: "choice" },
        el("input", { type, id: inputId, name, value: option.value }),
        el("label", { for: inputId }, option.label)),
    );
  }
  fieldset.append(box);
  return fieldset;
}

export function importanceGroup(lists, name, legend = t("importance.legend")) {
  return choiceGroup({
    name,
    legend,
    options: lists.Importance,
    type: "radio",
    columns: true,
    hint: t("importance.hint"),
  });
}

export function field({ name, label, type = "text", hint, required = false, maxlength, min, max, inputmode, autocomplete }) {
  const id = `f-${name.replaceAll(".", "-")}`;
  const hintId = hint ? `${id}-hint` : null;
  const input = type === "textarea"
    ? el("textarea", { id, name, maxlength, "aria-describedby": hintId, required })
    : el("input", { id, name, type, maxlength, min, max, inputmode, autocomplete, "aria-describedby": hintId, required });
  return el("div", { class: "field", "data-field": name },
    el("label", { for: id }, label, required ? "" : optionalMark()),
    hint ? el("p", { class: "hint", id: hintId }, hint) : null,
    input);
}

// " (optional)" after a label; the review step and error summaries leave it out (`data-optional`).
export function optionalMark() {
  return el("span", { class: "muted", "data-optional": true }, t("field.optional"));
}

export function selectField({ name, label, options, hint, required = false, placeholder = t("field.choose") }) {
  const id = `f-${name.replaceAll(".", "-")}`;
  const hintId = hint ? `${id}-hint` : null;
  const select = el("select", { id, name, required, "aria-describedby": hintId },
    el("option", { value: "" }, placeholder),
    options.map((o) => el("option", { value: o.value }, o.label)));
  return el("div", { class: "field", "data-field": name },
    el("label", { for: id }, label, required ? "" : optionalMark()),
    hint ? el("p", { class: "hint", id: hintId }, hint) : null,
    select);
}

// `sent`: the client's answers already reached the practice (the confirmation and the status page), so the
// box no longer speaks of the form.
export function crisisResources(headingLevel = "h2", { sent = false } = {}) {
  return el("div", { class: "crisis", role: "alert" },
    el(headingLevel, {}, t("crisis.heading")),
    el("ul", {},
      el("li", {}, tParts("crisis.lifeline", crisisLinks())),
      el("li", {}, tParts("crisis.emergency", crisisLinks()))),
    el("p", {}, t(sent ? "crisis.sent" : "crisis.form")));
}

// The crisis numbers as links a phone can dial or text, for the catalogs' {call988}, {text988} (in Spanish
// the 988 Lifeline's own option: text "AYUDA" to 988, see crisis.text_body) and {call911}.
export function crisisLinks() {
  const body = t("crisis.text_body");
  return {
    call988: el("a", { href: "tel:988" }, "988"),
    text988: el("a", { href: body ? `sms:988?body=${encodeURIComponent(body)}` : "sms:988" }, "988"),
    call911: el("a", { href: "tel:911" }, "911"),
    strong: el("strong", {}, t("crisis.lifeline.name")),
    emergency: el("strong", {}, t("crisis.emergency.name")),
  };
}

export function setPracticeName(name) {
  for (const node of document.querySelectorAll("[data-practice-name]")) node.textContent = name;
}
