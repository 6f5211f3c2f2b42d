// The intake form: a few short steps, a review, and a private status link at the end.
// Answers are kept in sessionStorage (this tab only) until they are sent, then cleared.
import {
  api, choiceGroup, clear, config, crisisResources, el, field, importanceGroup, labelOf, lang, optionalMark, selectField,
  setPracticeName, t, tParts, vocabulary,
} from "./common.js";

const DRAFT = "intake-draft";
const KEY = "intake-idempotency-key";
const PRIVACY_NOTICE_VERSION = "2026-11";
const LIMITS = { "languages.languages": 5, "concerns.concerns": 6, "values.values": 5, "culture.backgrounds": 5, "counselor_gender.preferred": 3 };

// Fields that are not plain text, so the answers can be rebuilt as the API's JSON.
const TYPES = {
  "client.age": "int",
  "format.travel_radius_miles": "int",
  "payment.max_fee_per_session": "int",
  "payment.needs_sliding_scale": "bool",
  "culture.prefer_not_to_say": "bool",
  "identity.wants_affirming": "bool",
  "consent.store_my_answers": "bool",
  "consent.contact_me": "bool",
  "format.availability": "slots",
  "languages.languages": "list",
  "concerns.concerns": "list",
  "values.values": "list",
  "culture.backgrounds": "list",
  "counselor_gender.preferred": "list",
  "approach.preferred": "list",
};
const DEFAULTS = {
  "format.availability_importance": "important",
  "payment.importance": "important",
  "languages.importance": "must_have",
  "values.importance": "important",
  "culture.importance": "doesnt_matter",
  "culture.counselor_preference": "no_preference",
  "faith.role": "no_preference",
  "faith.importance": "doesnt_matter",
  "counselor_gender.importance": "doesnt_matter",
  "identity.lgbtq": "prefer_not_to_say",
  "identity.importance": "doesnt_matter",
  "approach.importance": "doesnt_matter",
  "style.directness": "no_preference",
  "style.structure": "no_preference",
  "style.importance": "doesnt_matter",
  "contact.preferred_contact": "email",
  "consent.privacy_notice_version": PRIVACY_NOTICE_VERSION,
};

const app = document.getElementById("app");
let lists;
let steps = [];
let current = 0;
let form;

function why(text) {
  return el("p", { class: "why" }, tParts("intake.why", { label: el("strong", {}, t("intake.why.label")), text }));
}

// The vocabulary lists languages most often asked for first; these are shown before anything is typed.
const COMMON_LANGUAGES = 6;

// Plain words for each way of working, beside its name (the names are jargon, most of them acronyms).
// Their catalog keys: intake.approach.<value>.
const APPROACH_EXPLAINED = new Set(["cbt", "dbt", "emdr", "psychodynamic", "person_centered", "act", "solution_focused", "not_sure"]);

// Each "how much does this matter" group names what it is about, here and on the review step.
function importance(name, legend) {
  const group = importanceGroup(lists, name, legend);
  group.classList.add("importance");
  return group;
}

// Rows are days, columns the parts of a day. Each cell is a checkbox labelled with its slot ("Tuesday
// evening"), so a screen reader hears the slot and the answers stay the API's list of {day, part}.
function availabilityGrid() {
  const name = "format.availability";
  const id = "f-format-availability";
  return el("fieldset", { id, class: "slot-grid", "data-field": name, "aria-describedby": `${id}-hint` },
    el("legend", {}, t("intake.availability")),
    el("p", { class: "hint", id: `${id}-hint` }, t("intake.availability.hint")),
    el("table", {},
      el("thead", {}, el("tr", {},
        el("th", { scope: "col" }, el("span", { class: "visually-hidden" }, t("slots.day"))),
        lists.DayPart.map((part) => el("th", { scope: "col" }, part.label)))),
      el("tbody", {}, lists.Day.map((day) => el("tr", {},
        el("th", { scope: "row" }, day.label),
        lists.DayPart.map((part) => {
          const cell = `${id}-${day.value}-${part.value}`;
          return el("td", {}, el("label", { class: "slot", for: cell },
            el("input", { type: "checkbox", id: cell, name, value: `${day.value}:${part.value}` }),
            el("span", { class: "visually-hidden" }, t("slots.slot", { day: day.label, part: part.label.toLocaleLowerCase(lang) }))));
        }))))));
}

// Languages: the common ones first, a text box that filters the whole list, and every choice a plain
// labelled checkbox (a filtered-out one is hidden; a chosen one always stays in view).
let refreshLanguages = () => {};

function languageChoices() {
  const group = choiceGroup({ name: "languages.languages", legend: t("intake.languages"), options: lists.Language,
    max: LIMITS["languages.languages"], hint: t("intake.languages.hint", { n: LIMITS["languages.languages"] }) });
  const choices = group.querySelector(".choices");
  choices.id = "f-languages-choices";
  const filter = el("input", { type: "search", id: "f-languages-filter", autocomplete: "off", "aria-controls": choices.id,
    "aria-describedby": "f-languages-count" });
  const count = el("p", { class: "hint", id: "f-languages-count", "aria-live": "polite" });
  const more = el("button", { type: "button", class: "secondary", id: "f-languages-more", "aria-controls": choices.id, "aria-expanded": "false" });
  const refresh = () => {
    const wanted = filter.value.trim().toLocaleLowerCase();
    const all = more.getAttribute("aria-expanded") === "true";
    let shown = 0;
    [...choices.children].forEach((choice, i) => {
      const box = choice.querySelector("input");
      const matches = wanted ? choice.textContent.toLocaleLowerCase().includes(wanted) : all || i < COMMON_LANGUAGES;
      choice.hidden = !(matches || box.checked);
      if (matches) shown += 1;
    });
    count.textContent = wanted ? (shown ? t("intake.languages.matches", { n: shown }) : t("intake.languages.none")) : "";
    more.hidden = Boolean(wanted);
    more.textContent = all ? t("intake.languages.common") : t("intake.languages.all", { n: lists.Language.length });
  };
  more.addEventListener("click", () => { more.setAttribute("aria-expanded", String(more.getAttribute("aria-expanded") !== "true")); refresh(); });
  filter.addEventListener("input", refresh);
  filter.addEventListener("keydown", (event) => { if (event.key === "Enter") event.preventDefault(); });  // not "Next"
  group.addEventListener("change", refresh);
  choices.before(el("label", { for: filter.id }, t("intake.languages.find")), filter, count);
  choices.after(more);
  refreshLanguages = refresh;
  return group;
}

function approachChoices() {
  const group = choiceGroup({ name: "approach.preferred", legend: t("intake.approach"), options: lists.Approach });
  for (const choice of group.querySelectorAll(".choice")) {
    const box = choice.querySelector("input");
    if (!APPROACH_EXPLAINED.has(box.value)) continue;
    const text = t(`intake.approach.${box.value}`);
    const id = `${box.id}-explained`;
    box.setAttribute("aria-describedby", id);
    choice.querySelector("label").after(el("p", { class: "hint explained", id }, text));
  }
  return group;
}

// Less scrolling on a phone, the same answers: the "Must have" hint is shown once a step (every importance
// group is still described by it), and lists of three or more checkboxes, or of short radio answers, take two
// columns.
function shorten(section) {
  const [first, ...others] = section.querySelectorAll("fieldset.importance");
  for (const group of others) {
    group.querySelector(".hint").remove();
    group.setAttribute("aria-describedby", first.getAttribute("aria-describedby"));
  }
  for (const choices of section.querySelectorAll(".choices")) {
    const options = [...choices.querySelectorAll(".choice")];
    const short = options.every((o) => o.querySelector("input").type === "checkbox" || o.querySelector("label").textContent.length <= 20);
    if (options.length >= 3 && short && !choices.querySelector(".explained")) choices.classList.add("compact");
  }
}

function buildSteps() {
  const noPreference = { value: "no_preference", label: t("intake.no_preference") };
  const yes = (label) => [{ value: "true", label }];

  return [
    {
      id: "about", title: t("step.about"),
      fields: [
        choiceGroup({ name: "client.service_type", legend: t("q.service_type"), type: "radio", options: lists.ServiceType }),
        field({ name: "client.age", label: t("q.age"), type: "number", min: 5, max: 120, inputmode: "numeric",
          hint: t("q.age.hint") }),
        selectField({ name: "client.age_band", label: t("q.age_band"), options: lists.AgeBand }),
        selectField({ name: "client.jurisdiction", label: t("q.jurisdiction"), options: lists.Jurisdiction, required: true,
          hint: t("q.jurisdiction.hint") }),
      ],
    },
    {
      id: "format", title: t("step.format"),
      fields: [
        choiceGroup({ name: "format.format", legend: t("q.format"), type: "radio", options: lists.FormatPreference }),
        // Asked only when the format includes meeting in person; otherwise hidden, and never sent.
        el("div", { id: "in-person-fields" },
          field({ name: "format.postal_code", label: t("q.postal_code"), maxlength: 10, autocomplete: "postal-code",
            hint: t("q.postal_code.hint") }),
          field({ name: "format.travel_radius_miles", label: t("q.travel_radius"), type: "number", min: 1, max: 200, inputmode: "numeric" })),
        availabilityGrid(),
        importance("format.availability_importance", t("q.availability_importance")),
      ],
    },
    {
      id: "cost", title: t("step.cost"),
      fields: [
        choiceGroup({ name: "payment.method", legend: t("q.payment_method"), type: "radio", options: lists.PaymentMethod }),
        // Asked only when paying with insurance; otherwise hidden, and never sent.
        el("div", { id: "insurance-fields" }, selectField({ name: "payment.insurance_carrier", label: t("q.insurance_carrier"), options: lists.InsuranceCarrier })),
        field({ name: "payment.max_fee_per_session", label: t("q.max_fee"), type: "number", min: 0, max: 1000, inputmode: "numeric" }),
        choiceGroup({ name: "payment.needs_sliding_scale", legend: t("q.sliding_scale"), options: yes(t("q.sliding_scale.yes")) }),
        importance("payment.importance", t("q.payment_importance")),
      ],
    },
    {
      id: "concerns", title: t("step.concerns"),
      fields: [
        choiceGroup({ name: "concerns.concerns", legend: t("q.concerns"), options: lists.Concern, max: LIMITS["concerns.concerns"],
          hint: t("q.up_to", { n: LIMITS["concerns.concerns"] }) }),
        selectField({ name: "concerns.primary", label: t("q.primary"), options: [], required: true,
          hint: t("q.primary.hint") }),
        field({ name: "concerns.details", label: t("q.concerns_details"), type: "textarea", maxlength: 2000 }),
      ],
    },
    {
      id: "values", title: t("step.values"),
      fields: [
        why(t("why.values")),
        choiceGroup({ name: "values.values", legend: t("q.values"), options: lists.Value, max: LIMITS["values.values"], hint: t("q.up_to", { n: LIMITS["values.values"] }) }),
        importance("values.importance", t("q.values_importance")),
        why(t("why.culture")),
        choiceGroup({ name: "culture.backgrounds", legend: t("q.backgrounds"), options: lists.CulturalBackground,
          max: LIMITS["culture.backgrounds"], hint: t("q.up_to", { n: LIMITS["culture.backgrounds"] }) }),
        field({ name: "culture.self_description", label: t("q.self_description"), maxlength: 200 }),
        choiceGroup({ name: "culture.prefer_not_to_say", legend: t("q.prefer_not_to_say"), options: yes(t("q.prefer_not_to_say.yes")) }),
        choiceGroup({ name: "culture.counselor_preference", legend: t("q.culture_preference"), type: "radio", options: lists.CulturePreference }),
        importance("culture.importance", t("q.culture_importance")),
        why(t("why.faith")),
        selectField({ name: "faith.tradition", label: t("q.faith_tradition"), placeholder: t("q.faith_tradition.unsaid"),
          options: [...lists.FaithTradition, { value: "none", label: t("q.faith_tradition.none") }] }),
        choiceGroup({ name: "faith.role", legend: t("q.faith_role"), type: "radio", options: lists.FaithRole }),
        importance("faith.importance", t("q.faith_importance")),
      ],
    },
    {
      id: "counselor", title: t("step.counselor"),
      fields: [
        languageChoices(),
        importance("languages.importance", t("q.languages_importance")),
        why(t("why.gender")),
        choiceGroup({ name: "counselor_gender.preferred", legend: t("q.gender"), options: lists.Gender }),
        importance("counselor_gender.importance", t("q.gender_importance")),
        why(t("why.identity")),
        choiceGroup({ name: "identity.lgbtq", legend: t("q.lgbtq"), type: "radio", options: lists.SexualityAnswer }),
        choiceGroup({ name: "identity.wants_affirming", legend: t("q.affirming"), options: yes(t("q.affirming.yes")) }),
        importance("identity.importance", t("q.identity_importance")),
        approachChoices(),
        importance("approach.importance", t("q.approach_importance")),
        choiceGroup({ name: "style.directness", legend: t("q.directness"), type: "radio", options: [...lists.Directness, noPreference] }),
        choiceGroup({ name: "style.structure", legend: t("q.structure"), type: "radio", options: [...lists.Structure, noPreference] }),
        importance("style.importance", t("q.style_importance")),
      ],
    },
    {
      id: "safety", title: t("step.safety"),
      fields: [
        choiceGroup({ name: "safety", legend: t("q.safety"), type: "radio",
          options: lists.SafetyAnswer, hint: t("q.safety.hint") }),
        el("div", { id: "crisis-slot" }),
        field({ name: "reflections.past_counseling", label: t("q.past_counseling"), type: "textarea", maxlength: 2000 }),
        field({ name: "reflections.what_matters_most", label: t("q.what_matters_most"), type: "textarea", maxlength: 2000 }),
      ],
    },
    {
      id: "contact", title: t("step.contact"),
      fields: [
        field({ name: "contact.name", label: t("q.name"), required: true, maxlength: 100, autocomplete: "name" }),
        field({ name: "contact.preferred_name", label: t("q.preferred_name"), maxlength: 100, autocomplete: "nickname" }),
        field({ name: "contact.email", label: t("q.email"), type: "email", required: true, maxlength: 254, autocomplete: "email" }),
        field({ name: "contact.phone", label: t("q.phone"), type: "tel", maxlength: 20, autocomplete: "tel" }),
        choiceGroup({ name: "contact.preferred_contact", legend: t("q.preferred_contact"), type: "radio", options: lists.ContactMethod }),
        el("section", { class: "card", "aria-labelledby": "privacy-heading" },
          el("h3", { id: "privacy-heading" }, t("privacy.heading")),
          el("p", {}, t("privacy.text")),
          el("p", { class: "muted" }, t("privacy.version", { version: PRIVACY_NOTICE_VERSION }))),
        el("input", { type: "hidden", name: "consent.privacy_notice_version", value: PRIVACY_NOTICE_VERSION }),
        choiceGroup({ name: "consent.store_my_answers", legend: t("q.consent_store"), options: yes(t("q.consent_store.yes")) }),
        choiceGroup({ name: "consent.contact_me", legend: t("q.consent_contact"), options: yes(t("q.consent_contact.yes")) }),
      ],
    },
    { id: "review", title: t("step.review"), fields: [el("div", { id: "review" })] },
  ];
}

// ---------------------------------------------------------------- answers <-> form

function pairs() {
  return [...new FormData(form).entries()].filter(([, v]) => v !== "");
}

// The importances the client set themselves. The form shows each preset to the practice's default, but only
// these are sent: one left as it was is the default, which reasons must never call the client's choice.
const rated = new Set();
const IMPORTANCES = new Set(Object.keys(DEFAULTS).filter((name) => name.endsWith("importance")));

function saveDraft() {
  sessionStorage.setItem(DRAFT, JSON.stringify({ step: current, pairs: pairs(), rated: [...rated] }));
}

function restoreDraft() {
  const saved = JSON.parse(sessionStorage.getItem(DRAFT) || "null");
  // a draft saved before the form kept what was rated: an importance away from its default was the client's
  const kept = saved?.rated || (saved ? saved.pairs.filter(([n, v]) => IMPORTANCES.has(n) && v !== DEFAULTS[n]).map(([n]) => n) : []);
  for (const name of kept) rated.add(name);
  const values = saved ? saved.pairs : Object.entries(DEFAULTS);
  for (const [name, value] of Object.entries(DEFAULTS)) {
    if (!values.some(([n]) => n === name)) values.push([name, value]);
  }
  refreshPrimaryOptions(values.filter(([n]) => n === "concerns.concerns").map(([, v]) => v));
  for (const element of form.elements) {
    if (!element.name) continue;
    const mine = values.filter(([n]) => n === element.name).map(([, v]) => v);
    if (element.type === "checkbox" || element.type === "radio") element.checked = mine.includes(element.value);
    else if (mine.length) element.value = mine[0];
  }
  return saved ? Math.min(saved.step || 0, steps.length - 1) : 0;
}

function answers() {
  const out = {};
  const set = (path, value) => {
    const keys = path.split(".");
    let node = out;
    for (const key of keys.slice(0, -1)) node = node[key] ??= {};
    node[keys.at(-1)] = value;
  };
  const grouped = new Map();
  for (const [name, value] of pairs()) {
    if (IMPORTANCES.has(name) && !rated.has(name)) continue;  // left at the default: not the client's rating
    grouped.set(name, [...(grouped.get(name) || []), value]);
  }
  for (const [name, values] of grouped) {
    const type = TYPES[name];
    if (type === "int") set(name, Number.parseInt(values[0], 10));
    else if (type === "bool") set(name, values[0] === "true");
    else if (type === "list") set(name, values);
    else if (type === "slots") set(name, values.map((v) => ({ day: v.split(":")[0], part: v.split(":")[1] })));
    else set(name, values[0]);
  }
  for (const name of Object.keys(TYPES)) {
    if (TYPES[name] === "list" && !grouped.has(name) && name !== "languages.languages" && name !== "concerns.concerns") set(name, []);
  }
  return out;
}

// ---------------------------------------------------------------- errors

function clearErrors() {
  for (const node of form.querySelectorAll(".field-error")) node.remove();
  for (const node of form.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
  for (const node of form.querySelectorAll(".has-error")) node.classList.remove("has-error");
  for (const node of document.querySelectorAll(".error-summary")) node.remove();
}

// A question's words, without its " (optional)" mark.
function labelText(container) {
  const label = container.querySelector("legend, label");
  if (!label) return "";
  const words = label.cloneNode(true);
  words.querySelector("[data-optional]")?.remove();
  return words.textContent.trim();
}

// The API's own messages are in English. On a page in another language a problem the API found reads in
// the page's words ("missing": an answer is needed; anything else: the answer needs a change).
function inLanguage(error) {
  if (lang === "en" || !error.type) return error;
  return { ...error, msg: t(error.type === "missing" ? "errors.missing" : "errors.invalid") };
}

function containerFor(loc) {
  const path = loc.filter((p) => typeof p === "string" && p !== "body");
  while (path.length) {
    const found = form.querySelector(`[data-field="${path.join(".")}"]`);
    if (found) return found;
    path.pop();
  }
  return null;
}

function stepOf(node) {
  return steps.findIndex((s) => s.section.contains(node));
}

function focusTarget(container) {
  return container.querySelector("input, select, textarea") || container;
}

function showErrors(errors, where) {
  clearErrors();
  const items = [];
  for (const { loc, msg } of errors.map(inLanguage)) {
    const container = containerFor(loc) || steps[where].section;
    const id = `${container.id || container.dataset.field.replaceAll(".", "-")}-error-${items.length}`;
    const message = el("p", { class: "field-error", id }, msg);
    if (container.tagName === "FIELDSET") {
      container.classList.add("has-error");
      container.querySelector("legend").after(message);
    } else {
      container.querySelector("label")?.after(message);
    }
    for (const control of container.querySelectorAll("input, select, textarea")) {
      control.setAttribute("aria-invalid", "true");
      control.setAttribute("aria-describedby", [control.getAttribute("aria-describedby"), id].filter(Boolean).join(" "));
    }
    items.push({ container, msg });
  }
  const summary = el("div", { class: "error-summary", role: "alert", tabindex: "-1" },
    el("h2", {}, t("errors.heading")),
    el("ul", {}, items.map(({ container, msg }) => {
      const name = labelText(container) || t("errors.this_answer");
      return el("li", {}, el("a", {
        href: `#${focusTarget(container).id || ""}`,
        onclick: (event) => {
          event.preventDefault();
          show(stepOf(container), false);
          focusTarget(container).focus();
        },
      }, t("errors.item", { name, message: msg })));
    })));
  steps[where].section.querySelector("h2").after(summary);
  summary.focus();
}

// Checks that mirror the API's rules, for a quicker answer; the API stays the judge.
function checkStep(index) {
  const data = answers();
  const errors = [];
  const need = (condition, loc, msg) => { if (!condition) errors.push({ loc: ["body", ...loc], msg }); };
  const mustHave = (section, importanceKey, chosen, what) =>
    need(!(data[section]?.[importanceKey] === "must_have" && !chosen), [section, importanceKey], t(`check.must_have.${what}`));
  switch (steps[index].id) {
    case "about":
      need(data.client?.service_type, ["client", "service_type"], t("check.service_type"));
      need(data.client?.age !== undefined || data.client?.age_band, ["client", "age"], t("check.age"));
      need(data.client?.jurisdiction, ["client", "jurisdiction"], t("check.jurisdiction"));
      break;
    case "format":
      need(data.format?.format, ["format", "format"], t("check.format"));
      need(data.format?.format !== "in_person" || data.format?.postal_code, ["format", "postal_code"], t("check.postal_code"));
      mustHave("format", "availability_importance", data.format?.availability?.length, "availability");
      break;
    case "cost":
      need(data.payment?.method, ["payment", "method"], t("check.payment_method"));
      need(data.payment?.method !== "insurance" || data.payment?.insurance_carrier, ["payment", "insurance_carrier"], t("check.insurance_carrier"));
      need(data.payment?.method !== "self_pay" || data.payment?.max_fee_per_session !== undefined, ["payment", "max_fee_per_session"], t("check.max_fee"));
      break;
    case "concerns":
      need(data.concerns?.concerns?.length, ["concerns", "concerns"], t("check.concerns"));
      need(data.concerns?.primary, ["concerns", "primary"], t("check.primary"));
      break;
    case "values":
      mustHave("values", "importance", data.values?.values?.length, "values");
      need(!(data.culture?.prefer_not_to_say && (data.culture?.backgrounds?.length || data.culture?.self_description)), ["culture", "prefer_not_to_say"], t("check.prefer_not_to_say"));
      need(data.culture?.counselor_preference === "no_preference" || data.culture?.backgrounds?.length, ["culture", "counselor_preference"], t("check.backgrounds_first"));
      mustHave("culture", "importance", data.culture?.counselor_preference !== "no_preference", "culture");
      need(!["integrate", "respect_secular"].includes(data.faith?.role) || !["none", "prefer_not_to_say", undefined].includes(data.faith?.tradition), ["faith", "role"], t("check.tradition_first"));
      mustHave("faith", "importance", data.faith?.role !== "no_preference", "faith");
      break;
    case "counselor":
      need(data.languages?.languages?.length, ["languages", "languages"], t("check.languages"));
      mustHave("counselor_gender", "importance", data.counselor_gender?.preferred?.length, "gender");
      mustHave("identity", "importance", data.identity?.wants_affirming, "identity");
      mustHave("approach", "importance", (data.approach?.preferred || []).some((a) => a !== "not_sure"), "approach");
      mustHave("style", "importance", data.style?.directness !== "no_preference" || data.style?.structure !== "no_preference", "style");
      break;
    case "safety":
      need(data.safety, ["safety"], t("check.safety"));
      break;
    case "contact":
      need(data.contact?.name, ["contact", "name"], t("check.name"));
      need(/^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$/.test(data.contact?.email || ""), ["contact", "email"], t("check.email"));
      need(!["phone", "text"].includes(data.contact?.preferred_contact) || data.contact?.phone, ["contact", "phone"], t("check.phone"));
      need(data.consent?.store_my_answers, ["consent", "store_my_answers"], t("check.consent_store"));
      need(data.consent?.contact_me, ["consent", "contact_me"], t("check.consent_contact"));
      break;
    default:
  }
  return errors;
}

// ---------------------------------------------------------------- steps

function refreshPrimaryOptions(chosen) {
  const select = form.querySelector('[name="concerns.primary"]');
  const keep = select.value;
  clear(select).append(el("option", { value: "" }, t("field.choose")));
  for (const value of chosen) select.append(el("option", { value }, labelOf(lists, "Concern", value)));
  if (chosen.includes(keep)) select.value = keep;
  else if (chosen.length === 1) select.value = chosen[0];
}

function enforceLimits(event) {
  const group = event.target.closest("fieldset[data-max]");
  if (!group) return;
  const max = Number(group.dataset.max);
  const boxes = [...group.querySelectorAll('input[type="checkbox"]')];
  const checked = boxes.filter((b) => b.checked).length;
  for (const box of boxes) box.disabled = !box.checked && checked >= max;
}

// A label says "(optional)" only while the answer may really be left out, so it never contradicts an error:
// "needed" (required now), "depends" (on another answer, which the hint or the other label says) or "optional".
function markNeed(name, need) {
  const container = form.querySelector(`[data-field="${name}"]`);
  const label = container.querySelector("legend, label");
  const mark = label.querySelector("[data-optional]");
  if (need === "optional" && !mark) label.append(optionalMark());
  if (need !== "optional") mark?.remove();
  for (const control of container.querySelectorAll("input[name], select, textarea")) {
    if (need === "needed") control.setAttribute("aria-required", "true");
    else control.removeAttribute("aria-required");
  }
}

// Shows the questions that apply to the answers so far. A hidden question's controls are disabled, so its
// answer is neither checked nor sent (FormData leaves disabled controls out); it comes back if shown again.
function reveal(id, shown) {
  const box = document.getElementById(id);
  box.hidden = !shown;
  for (const control of box.querySelectorAll("input, select, textarea")) control.disabled = !shown;
}

function updateConditional() {
  const value = (name) => form.querySelector(`[name="${name}"]:checked`)?.value;
  const format = value("format.format");
  reveal("in-person-fields", format === "in_person" || format === "either");
  markNeed("format.postal_code", format === "in_person" ? "needed" : "optional");
  const method = value("payment.method");
  reveal("insurance-fields", method === "insurance");
  markNeed("payment.insurance_carrier", "needed");
  markNeed("payment.max_fee_per_session", method === "self_pay" ? "needed" : method === "insurance" ? "optional" : "depends");
  markNeed("client.age", "depends");  // an age or an age range: the hint says so
  markNeed("client.age_band", "depends");
  markNeed("culture.backgrounds", ["shares", "experienced"].includes(value("culture.counselor_preference")) ? "needed" : "optional");
  markNeed("faith.tradition", ["integrate", "respect_secular"].includes(value("faith.role")) ? "needed" : "optional");
  markNeed("counselor_gender.preferred", value("counselor_gender.importance") === "must_have" ? "needed" : "optional");
  markNeed("approach.preferred", value("approach.importance") === "must_have" ? "needed" : "optional");
  markNeed("identity.lgbtq", "optional");
  markNeed("contact.phone", ["phone", "text"].includes(value("contact.preferred_contact")) ? "needed" : "optional");
}

function updateCrisis() {
  const slot = document.getElementById("crisis-slot");
  const yes = form.querySelector('[name="safety"][value="yes"]')?.checked;
  if (yes && !slot.firstChild) slot.append(crisisResources("h3"));
  if (!yes) clear(slot);
}

function renderReview() {
  const data = answers();
  const box = clear(document.getElementById("review"));
  if (data.safety === "yes") box.append(crisisResources("h3"));
  const rows = [];
  for (const step of steps.slice(0, -1)) {
    const entries = [];
    for (const group of step.section.querySelectorAll("[data-field]")) {
      const name = group.dataset.field;
      const label = labelText(group) || name;
      const controls = [...group.querySelectorAll("input, select, textarea")].filter((c) => c.name === name && c.type !== "hidden" && !c.disabled);
      const values = controls.filter((c) => (c.type === "checkbox" || c.type === "radio" ? c.checked : c.value !== ""))
        .map((c) => (c.tagName === "SELECT" ? c.selectedOptions[0].textContent : c.type === "checkbox" || c.type === "radio" ? c.labels[0].textContent : c.value));
      if (values.length) entries.push(el("dt", {}, label), el("dd", {}, values.join(", ")));  // the client's own words stay as typed
    }
    const index = steps.indexOf(step);
    rows.push(el("section", { class: "card" },
      el("h3", {}, step.title),
      entries.length ? el("dl", { class: "answers" }, entries) : el("p", { class: "muted" }, t("review.nothing")),
      el("button", { type: "button", class: "secondary", onclick: () => show(index) }, t("review.change", { step: step.title }))));
  }
  box.append(...rows);
  return data;
}

// Moves to a step. Each move the person makes is a history entry (`record`), so the browser's Back button
// returns to the step they came from instead of leaving the form; a move made by Back or Forward is not.
function show(index, focusHeading = true, record = true) {
  current = index;
  steps.forEach((step, i) => { step.section.hidden = i !== index; });
  document.getElementById("intro").hidden = index !== 0;
  const progress = document.getElementById("progress");
  progress.querySelector(".counter").textContent = t("progress", { n: index + 1, total: steps.length, title: steps[index].title });
  progress.querySelectorAll("li").forEach((li, i) => {
    li.className = i < index ? "done" : "";
    if (i === index) li.setAttribute("aria-current", "step"); else li.removeAttribute("aria-current");
  });
  document.getElementById("back").hidden = index === 0;
  document.getElementById("next").hidden = index === steps.length - 1;
  document.getElementById("submit").hidden = index !== steps.length - 1;
  if (index === steps.length - 1) renderReview();
  saveDraft();
  if (record && history.state?.step !== index) history.pushState({ step: index, from: history.state?.step }, "");
  if (focusHeading) {
    const heading = steps[index].section.querySelector("h2");
    heading.scrollIntoView({ block: "start" });
    heading.focus({ preventScroll: true });
  }
}

function next() {
  const errors = checkStep(current);
  if (errors.length) { showErrors(errors, current); return; }
  clearErrors();
  show(current + 1);
}

// The page's Back button walks the same history as the browser's when it can, so the two never disagree.
function back() {
  clearErrors();
  if (history.state?.step === current && history.state?.from === current - 1) history.back();
  else show(current - 1);
}

// The browser's Back and Forward move between steps; the answers stay as they are.
function moved(event) {
  if (!form.isConnected || typeof event.state?.step !== "number") return;  // sent already: nothing to show
  clearErrors();
  show(Math.min(event.state.step, steps.length - 1), true, false);
}

// "Start over" asks first, in a dialog of the page's own (focus stays in it; Escape or "No" keeps everything).
function startOverDialog() {
  const dialog = el("dialog", { id: "start-over-dialog", "aria-labelledby": "start-over-title", "aria-describedby": "start-over-text" },
    el("h2", { id: "start-over-title" }, t("start_over.title")),
    el("p", { id: "start-over-text" }, t("start_over.text")),
    el("div", { class: "actions" },
      el("button", { type: "button", class: "secondary", id: "keep-answers", autofocus: true, onclick: () => dialog.close() }, t("start_over.keep")),
      el("button", { type: "button", class: "danger", id: "clear-answers", onclick: () => {
        sessionStorage.removeItem(DRAFT);
        sessionStorage.removeItem(KEY);  // new answers are a new submission, never a retry of the old one
        location.reload();
      } }, t("start_over.clear"))));
  dialog.addEventListener("close", () => document.getElementById("start-over").focus());
  return dialog;
}

// ---------------------------------------------------------------- submit

async function submit() {
  const button = document.getElementById("submit");
  for (let i = 0; i < steps.length - 1; i++) {
    const errors = checkStep(i);
    if (errors.length) { show(i); showErrors(errors, i); return; }
  }
  button.disabled = true;
  button.textContent = t("submit.sending");
  // The same key for every retry of this submission: the service stores it once however often it arrives.
  let key = sessionStorage.getItem(KEY);
  if (!key) { key = crypto.randomUUID(); sessionStorage.setItem(KEY, key); }
  // `locale`: the language everything the client receives later is written in (emails, reasons, links)
  const reply = await api("intakes", { method: "POST", body: { ...answers(), locale: lang }, headers: { "Idempotency-Key": key } });
  button.disabled = false;
  button.textContent = t("submit.send");
  if (reply.status === 201) {
    confirmation(reply.body);
    return;
  }
  if (reply.status === 422 && reply.body?.detail) {
    const errors = reply.body.detail;
    const first = containerFor(errors[0].loc);
    const where = first ? stepOf(first) : current;
    show(where, false);
    showErrors(errors, where);
    return;
  }
  clearErrors();
  const problem = reply.status === 0 ? t("submit.unreachable")
    : reply.status === 503 || reply.status === 409 ? t("submit.busy") : t("submit.failed");
  const notice = el("div", { class: "error-summary", role: "alert", tabindex: "-1" },
    el("h2", {}, t("submit.not_sent")), el("p", {}, problem),
    el("button", { type: "button", onclick: submit }, t("submit.again")));
  steps[current].section.querySelector("h2").after(notice);
  notice.focus();
}

function confirmation(body) {
  sessionStorage.removeItem(DRAFT);
  sessionStorage.removeItem(KEY);
  document.getElementById("intro").hidden = true;  // it speaks of answers not sent yet
  const link = new URL(body.status_link, document.baseURI).href;
  const next = el("p", { id: "next-step" }, t(body.urgent ? "confirm.next.urgent" : "confirm.next"), " ", t("confirm.save_link"));
  const anchor = el("a", { href: link, id: "status-link", class: "long-link" }, link);
  const copied = el("span", { id: "copy-status", role: "status" });
  clear(app).append(
    el("section", { class: "success", "aria-labelledby": "thanks" },
      el("h2", { id: "thanks", tabindex: "-1" }, t("confirm.thanks")),
      el("p", {}, tParts("confirm.reference", { reference: el("strong", { id: "reference" }, body.reference) })),
      next,
      el("p", {}, anchor),
      el("p", { class: "copy-link" },
        el("button", { type: "button", class: "secondary", id: "copy-link", onclick: () => copyLink(link, anchor, copied) }, t("confirm.copy")),
        copied),
      el("p", { id: "link-emailed" }, t("confirm.emailed"))),
    ...(body.urgent ? [crisisResources("h2", { sent: true })] : []),  // append() would write a left-out part as "null"
  );
  document.getElementById("thanks").focus();
  // When the practice lets clients choose (and never for an urgent intake), the shortlist is ready at once.
  if (!body.urgent) showShortlistReady(body, next, link);
}

// The clipboard needs a secure page and a browser that offers it; without it the link is selected, so the
// person can copy it with their own device's copy command.
async function copyLink(link, anchor, status) {
  try {
    await navigator.clipboard.writeText(link);
    status.textContent = t("confirm.copied");
  } catch {
    const range = document.createRange();
    range.selectNodeContents(anchor);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    status.textContent = t("confirm.selected");
  }
}

async function showShortlistReady(body, next, link) {
  const reply = await api(`intakes/${encodeURIComponent(body.reference)}/shortlist`, { headers: { "X-Status-Token": body.status_token } });
  if (!reply.ok || !reply.body?.open) return;
  next.replaceWith(el("div", { id: "next-step" },
    el("p", {}, t("confirm.found", { n: reply.body.entries.length }), " ", t("confirm.found.more")),
    el("p", {}, el("a", { class: "button", href: link }, t("confirm.see_shortlist"))),
    el("p", {}, t("confirm.keep_link"))));
}

// ---------------------------------------------------------------- start

async function start() {
  const [settings, vocabularyLists] = await Promise.all([config(), vocabulary()]);
  setPracticeName(settings.practiceName);
  lists = vocabularyLists;
  steps = buildSteps();
  form = el("form", { novalidate: true, "aria-describedby": "progress" });
  const dialog = startOverDialog();
  const progress = el("div", { class: "progress", id: "progress" },
    el("p", { class: "counter", "aria-live": "polite" }),
    el("ol", { "aria-hidden": "true" }, steps.map(() => el("li"))));
  for (const step of steps) {
    step.section = el("section", { hidden: true }, el("h2", { tabindex: "-1" }, step.title), step.fields);
    form.append(step.section);
    shorten(step.section);
  }
  form.append(el("div", { class: "actions" },
    el("button", { type: "button", id: "back", class: "secondary", onclick: back }, t("nav.back")),
    el("button", { type: "button", id: "next", onclick: next }, t("nav.next")),
    el("button", { type: "button", id: "submit", onclick: submit }, t("submit.send")),
    el("button", { type: "button", class: "secondary", id: "start-over", onclick: () => dialog.showModal() }, t("start_over.button"))));
  form.addEventListener("submit", (event) => { event.preventDefault(); if (current === steps.length - 1) submit(); else next(); });
  form.addEventListener("change", (event) => {
    if (IMPORTANCES.has(event.target.name)) rated.add(event.target.name);
    enforceLimits(event);
    if (event.target.name === "concerns.concerns") {
      refreshPrimaryOptions([...form.querySelectorAll('[name="concerns.concerns"]:checked')].map((b) => b.value));
    }
    if (event.target.name === "safety") updateCrisis();
    updateConditional();
    saveDraft();
  });
  form.addEventListener("input", saveDraft);
  clear(app).append(progress, form);
  document.body.append(dialog);  // outside the form: its buttons are not answers
  const step = restoreDraft();
  for (const group of form.querySelectorAll("fieldset[data-max]")) enforceLimits({ target: group.querySelector("input") || group });
  updateCrisis();
  updateConditional();
  refreshLanguages();
  history.scrollRestoration = "manual";  // each step starts at its heading instead
  history.replaceState({ step }, "");
  window.addEventListener("popstate", moved);
  show(step, false, false);
}

start().catch(() => {
  clear(app).append(el("div", { class: "notice", role: "alert" },
    t("intake.load_failed")));
});
