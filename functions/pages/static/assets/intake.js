// The intake form: a few short steps, a review, and a private status link at the end.
// Answers are kept in sessionStorage (this tab only) until they are sent, then cleared.
import {
  api, choiceGroup, clear, config, crisisResources, el, field, importanceGroup, labelOf, selectField,
  setPracticeName, vocabulary,
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
  return el("p", { class: "why" }, el("strong", {}, "Why we ask: "), text);
}

// The vocabulary lists languages most often asked for first; these are shown before anything is typed.
const COMMON_LANGUAGES = 6;

// Plain words for each way of working, beside its name (the names are jargon, most of them acronyms).
const APPROACH_EXPLAINED = {
  cbt: "Noticing the thoughts and habits that keep you stuck, and practising new ones.",
  dbt: "Skills for strong emotions, hard moments and relationships, often taught step by step.",
  emdr: "Eye movement desensitization and reprocessing: working through painful memories, often of trauma, with guided eye movements or taps, so they lose some of their hold.",
  psychodynamic: "Exploring how your past and feelings you may not notice shape how you live now.",
  person_centered: "Your counselor follows your lead and listens without judging, as you find your own answers.",
  act: "Making room for hard thoughts and feelings instead of fighting them, and acting on what you value.",
  solution_focused: "Short-term work on what you want to be different, building on what already works for you.",
  not_sure: "That's fine: your counselor will talk it through with you.",
};

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
    el("legend", {}, "When could you usually meet?"),
    el("p", { class: "hint", id: `${id}-hint` }, "Tick every time that could work."),
    el("table", {},
      el("thead", {}, el("tr", {},
        el("th", { scope: "col" }, el("span", { class: "visually-hidden" }, "Day")),
        lists.DayPart.map((part) => el("th", { scope: "col" }, part.label)))),
      el("tbody", {}, lists.Day.map((day) => el("tr", {},
        el("th", { scope: "row" }, day.label),
        lists.DayPart.map((part) => {
          const cell = `${id}-${day.value}-${part.value}`;
          return el("td", {}, el("label", { class: "slot", for: cell },
            el("input", { type: "checkbox", id: cell, name, value: `${day.value}:${part.value}` }),
            el("span", { class: "visually-hidden" }, `${day.label} ${part.label.toLowerCase()}`)));
        }))))));
}

// Languages: the common ones first, a text box that filters the whole list, and every choice a plain
// labelled checkbox (a filtered-out one is hidden; a chosen one always stays in view).
let refreshLanguages = () => {};

function languageChoices() {
  const group = choiceGroup({ name: "languages.languages", legend: "Languages you'd like to have sessions in", options: lists.Language,
    max: LIMITS["languages.languages"], hint: "Choose at least one, up to 5. The most common are shown first." });
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
    count.textContent = wanted
      ? (shown ? `${shown === 1 ? "1 language matches" : `${shown} languages match`}.` : "No language in our list matches that.")
      : "";
    more.hidden = Boolean(wanted);
    more.textContent = all ? "Show only the common languages" : `Show all ${lists.Language.length} languages`;
  };
  more.addEventListener("click", () => { more.setAttribute("aria-expanded", String(more.getAttribute("aria-expanded") !== "true")); refresh(); });
  filter.addEventListener("input", refresh);
  filter.addEventListener("keydown", (event) => { if (event.key === "Enter") event.preventDefault(); });  // not "Next"
  group.addEventListener("change", refresh);
  choices.before(el("label", { for: filter.id }, "Find a language"), filter, count);
  choices.after(more);
  refreshLanguages = refresh;
  return group;
}

function approachChoices() {
  const group = choiceGroup({ name: "approach.preferred", legend: "Ways of working you'd like", options: lists.Approach });
  for (const choice of group.querySelectorAll(".choice")) {
    const box = choice.querySelector("input");
    const text = APPROACH_EXPLAINED[box.value];
    if (!text) continue;
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
  const noPreference = { value: "no_preference", label: "No preference" };

  return [
    {
      title: "About you",
      fields: [
        choiceGroup({ name: "client.service_type", legend: "Who is the counseling for?", type: "radio", options: lists.ServiceType }),
        field({ name: "client.age", label: "Age (of the person the counseling is for)", type: "number", min: 5, max: 120, inputmode: "numeric",
          hint: "Give an age, or choose an age range below if you'd rather not give an exact age." }),
        selectField({ name: "client.age_band", label: "Or an age range instead", options: lists.AgeBand }),
        selectField({ name: "client.jurisdiction", label: "Where will you be during sessions?", options: lists.Jurisdiction, required: true,
          hint: "Counselors can only see clients in the state or province where they are licensed." }),
      ],
    },
    {
      title: "How and when",
      fields: [
        choiceGroup({ name: "format.format", legend: "How would you like to meet?", type: "radio", options: lists.FormatPreference }),
        // Asked only when the format includes meeting in person; otherwise hidden, and never sent.
        el("div", { id: "in-person-fields" },
          field({ name: "format.postal_code", label: "Your ZIP or postal code", maxlength: 10, autocomplete: "postal-code",
            hint: "To find an office near you for in-person sessions." }),
          field({ name: "format.travel_radius_miles", label: "How far can you travel (miles)?", type: "number", min: 1, max: 200, inputmode: "numeric" })),
        availabilityGrid(),
        importance("format.availability_importance", "How much do these times matter to you?"),
      ],
    },
    {
      title: "Cost",
      fields: [
        choiceGroup({ name: "payment.method", legend: "How will you pay?", type: "radio", options: lists.PaymentMethod }),
        // Asked only when paying with insurance; otherwise hidden, and never sent.
        el("div", { id: "insurance-fields" }, selectField({ name: "payment.insurance_carrier", label: "Insurance carrier", options: lists.InsuranceCarrier })),
        field({ name: "payment.max_fee_per_session", label: "The most you can pay per session (US dollars)", type: "number", min: 0, max: 1000, inputmode: "numeric" }),
        choiceGroup({ name: "payment.needs_sliding_scale", legend: "Sliding scale", options: [{ value: "true", label: "I need a reduced (sliding-scale) fee" }] }),
        importance("payment.importance", "How much does cost matter to you?"),
      ],
    },
    {
      title: "What brings you here",
      fields: [
        choiceGroup({ name: "concerns.concerns", legend: "What would you like help with?", options: lists.Concern, max: LIMITS["concerns.concerns"],
          hint: "Choose up to 6." }),
        selectField({ name: "concerns.primary", label: "Which matters most right now?", options: [], required: true,
          hint: "Choose from what you selected above." }),
        field({ name: "concerns.details", label: "Anything you'd like to tell us about it?", type: "textarea", maxlength: 2000 }),
      ],
    },
    {
      title: "Your values, culture and faith",
      fields: [
        why("Counseling works best when your counselor works from your own values, culture and beliefs. Every question here is optional."),
        choiceGroup({ name: "values.values", legend: "Which values guide your life?", options: lists.Value, max: LIMITS["values.values"], hint: "Choose up to 5." }),
        importance("values.importance", "How much does a counselor who shares these values matter to you?"),
        why("Some people want a counselor who shares or understands their background. You decide whether that matters."),
        choiceGroup({ name: "culture.backgrounds", legend: "Your cultural or ethnic background", options: lists.CulturalBackground,
          max: LIMITS["culture.backgrounds"], hint: "Choose up to 5." }),
        field({ name: "culture.self_description", label: "In your own words", maxlength: 200 }),
        choiceGroup({ name: "culture.prefer_not_to_say", legend: "Prefer not to say", options: [{ value: "true", label: "I'd prefer not to say" }] }),
        choiceGroup({ name: "culture.counselor_preference", legend: "Would you like a counselor who...", type: "radio", options: lists.CulturePreference }),
        importance("culture.importance", "How much does a counselor who shares or knows your background matter to you?"),
        why("Your faith can be part of counseling, or not. We keep a counselor's own faith separate from whether they bring faith into their work."),
        selectField({ name: "faith.tradition", label: "Your faith or spiritual tradition", placeholder: "Prefer not to say",
          options: [...lists.FaithTradition, { value: "none", label: "None" }] }),
        choiceGroup({ name: "faith.role", legend: "How would you like faith in counseling?", type: "radio", options: lists.FaithRole }),
        importance("faith.importance", "How much does the place of faith in your counseling matter to you?"),
      ],
    },
    {
      title: "Your counselor",
      fields: [
        languageChoices(),
        importance("languages.importance", "How much does the language matter to you?"),
        why("Some people feel more at ease with a counselor of a particular gender. It's optional."),
        choiceGroup({ name: "counselor_gender.preferred", legend: "Counselor gender you'd prefer", options: lists.Gender }),
        importance("counselor_gender.importance", "How much does your counselor's gender matter to you?"),
        why("So we can suggest counselors who affirm who you are. It's optional, and you can say you'd prefer not to."),
        choiceGroup({ name: "identity.lgbtq", legend: "Do you identify as LGBTQ+?", type: "radio", options: lists.SexualityAnswer }),
        choiceGroup({ name: "identity.wants_affirming", legend: "Affirming counselor", options: [{ value: "true", label: "I'd like an LGBTQ+-affirming counselor" }] }),
        importance("identity.importance", "How much does an LGBTQ+-affirming counselor matter to you?"),
        approachChoices(),
        importance("approach.importance", "How much does the way of working matter to you?"),
        choiceGroup({ name: "style.directness", legend: "Would you like your counselor to be...", type: "radio", options: [...lists.Directness, noPreference] }),
        choiceGroup({ name: "style.structure", legend: "And sessions to be...", type: "radio", options: [...lists.Structure, noPreference] }),
        importance("style.importance", "How much does your counselor's style matter to you?"),
      ],
    },
    {
      title: "Safety and experience",
      fields: [
        choiceGroup({ name: "safety", legend: "Are you having thoughts of harming yourself or someone else right now?", type: "radio",
          options: lists.SafetyAnswer, hint: "We ask everyone. Your answer never stops you from being matched; it helps us reach out sooner." }),
        el("div", { id: "crisis-slot" }),
        field({ name: "reflections.past_counseling", label: "What worked, or didn't, in past counseling?", type: "textarea", maxlength: 2000 }),
        field({ name: "reflections.what_matters_most", label: "What matters most to you in a counselor?", type: "textarea", maxlength: 2000 }),
      ],
    },
    {
      title: "How we reach you",
      fields: [
        field({ name: "contact.name", label: "Your name", required: true, maxlength: 100, autocomplete: "name" }),
        field({ name: "contact.preferred_name", label: "What should we call you?", maxlength: 100, autocomplete: "nickname" }),
        field({ name: "contact.email", label: "Email", type: "email", required: true, maxlength: 254, autocomplete: "email" }),
        field({ name: "contact.phone", label: "Phone", type: "tel", maxlength: 20, autocomplete: "tel" }),
        choiceGroup({ name: "contact.preferred_contact", legend: "How should we contact you?", type: "radio", options: lists.ContactMethod }),
        el("section", { class: "card", "aria-labelledby": "privacy-heading" },
          el("h3", { id: "privacy-heading" }, "Your privacy"),
          el("p", {}, "Only our intake team and the counselor you are matched with see your answers. We store them encrypted, use them ",
            "only to find you a counselor, never sell or share them, and delete them if you are not matched within six months. ",
            "You can ask us to delete them at any time."),
          el("p", { class: "muted" }, `Privacy notice version ${PRIVACY_NOTICE_VERSION}.`)),
        el("input", { type: "hidden", name: "consent.privacy_notice_version", value: PRIVACY_NOTICE_VERSION }),
        choiceGroup({ name: "consent.store_my_answers", legend: "Storing your answers", options: [{ value: "true", label: "I agree that my answers are stored to find me a counselor." }] }),
        choiceGroup({ name: "consent.contact_me", legend: "Contacting you", options: [{ value: "true", label: "I agree to be contacted about counseling." }] }),
      ],
    },
    { title: "Review and send", fields: [el("div", { id: "review" })] },
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
  for (const { loc, msg } of errors) {
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
    el("h2", {}, "Some answers need attention"),
    el("ul", {}, items.map(({ container, msg }) => {
      const name = container.querySelector("legend, label")?.textContent || "This answer";
      return el("li", {}, el("a", {
        href: `#${focusTarget(container).id || ""}`,
        onclick: (event) => {
          event.preventDefault();
          show(stepOf(container), false);
          focusTarget(container).focus();
        },
      }, `${name.replace(" (optional)", "")}: ${msg}`));
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
    need(!(data[section]?.[importanceKey] === "must_have" && !chosen), [section, importanceKey], `Choose ${what}, or lower how much it matters.`);
  switch (steps[index].title) {
    case "About you":
      need(data.client?.service_type, ["client", "service_type"], "Choose who the counseling is for.");
      need(data.client?.age !== undefined || data.client?.age_band, ["client", "age"], "Give an age or choose an age range.");
      need(data.client?.jurisdiction, ["client", "jurisdiction"], "Choose where you'll be during sessions.");
      break;
    case "How and when":
      need(data.format?.format, ["format", "format"], "Choose how you'd like to meet.");
      need(data.format?.format !== "in_person" || data.format?.postal_code, ["format", "postal_code"], "A postal code is needed for in-person sessions.");
      mustHave("format", "availability_importance", data.format?.availability?.length, "a time slot");
      break;
    case "Cost":
      need(data.payment?.method, ["payment", "method"], "Choose how you'll pay.");
      need(data.payment?.method !== "insurance" || data.payment?.insurance_carrier, ["payment", "insurance_carrier"], "Choose your insurance carrier.");
      need(data.payment?.method !== "self_pay" || data.payment?.max_fee_per_session !== undefined, ["payment", "max_fee_per_session"], "Say the most you can pay per session.");
      break;
    case "What brings you here":
      need(data.concerns?.concerns?.length, ["concerns", "concerns"], "Choose at least one.");
      need(data.concerns?.primary, ["concerns", "primary"], "Choose which matters most.");
      break;
    case "Your values, culture and faith":
      mustHave("values", "importance", data.values?.values?.length, "at least one value");
      need(!(data.culture?.prefer_not_to_say && (data.culture?.backgrounds?.length || data.culture?.self_description)), ["culture", "prefer_not_to_say"], "Leave the background empty when you prefer not to say.");
      need(data.culture?.counselor_preference === "no_preference" || data.culture?.backgrounds?.length, ["culture", "counselor_preference"], "Choose at least one background first.");
      mustHave("culture", "importance", data.culture?.counselor_preference !== "no_preference", "what you want in a counselor");
      need(!["integrate", "respect_secular"].includes(data.faith?.role) || !["none", "prefer_not_to_say", undefined].includes(data.faith?.tradition), ["faith", "role"], "Choose your tradition first.");
      mustHave("faith", "importance", data.faith?.role !== "no_preference", "how you want faith in counseling");
      break;
    case "Your counselor":
      need(data.languages?.languages?.length, ["languages", "languages"], "Choose at least one language.");
      mustHave("counselor_gender", "importance", data.counselor_gender?.preferred?.length, "at least one gender");
      mustHave("identity", "importance", data.identity?.wants_affirming, "an affirming counselor");
      mustHave("approach", "importance", (data.approach?.preferred || []).some((a) => a !== "not_sure"), "an approach");
      mustHave("style", "importance", data.style?.directness !== "no_preference" || data.style?.structure !== "no_preference", "a style");
      break;
    case "Safety and experience":
      need(data.safety, ["safety"], "Please answer this question (you can choose prefer not to say).");
      break;
    case "How we reach you":
      need(data.contact?.name, ["contact", "name"], "Tell us your name.");
      need(/^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$/.test(data.contact?.email || ""), ["contact", "email"], "Enter an email address like name@example.org.");
      need(!["phone", "text"].includes(data.contact?.preferred_contact) || data.contact?.phone, ["contact", "phone"], "A phone number is needed to call or text you.");
      need(data.consent?.store_my_answers, ["consent", "store_my_answers"], "We can only help if we may store your answers.");
      need(data.consent?.contact_me, ["consent", "contact_me"], "We can only help if we may contact you.");
      break;
    default:
  }
  return errors;
}

// ---------------------------------------------------------------- steps

function refreshPrimaryOptions(chosen) {
  const select = form.querySelector('[name="concerns.primary"]');
  const keep = select.value;
  clear(select).append(el("option", { value: "" }, "Choose..."));
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
  const mark = label.querySelector("span.muted");
  if (need === "optional" && !mark) label.append(el("span", { class: "muted" }, " (optional)"));
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
      const label = (group.querySelector("legend, label")?.textContent || name).replace(" (optional)", "");
      const controls = [...group.querySelectorAll("input, select, textarea")].filter((c) => c.name === name && c.type !== "hidden" && !c.disabled);
      const values = controls.filter((c) => (c.type === "checkbox" || c.type === "radio" ? c.checked : c.value !== ""))
        .map((c) => (c.tagName === "SELECT" ? c.selectedOptions[0].textContent : c.type === "checkbox" || c.type === "radio" ? c.labels[0].textContent : c.value));
      if (values.length) entries.push(el("dt", {}, label), el("dd", {}, values.join(", ")));
    }
    const index = steps.indexOf(step);
    rows.push(el("section", { class: "card" },
      el("h3", {}, step.title),
      entries.length ? el("dl", { class: "answers" }, entries) : el("p", { class: "muted" }, "Nothing here yet."),
      el("button", { type: "button", class: "secondary", onclick: () => show(index) }, `Change "${step.title}"`)));
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
  progress.querySelector(".counter").textContent = `Step ${index + 1} of ${steps.length}: ${steps[index].title}`;
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
    el("h2", { id: "start-over-title" }, "Start over?"),
    el("p", { id: "start-over-text" }, "This clears every answer you have given so far in this tab. It cannot be undone."),
    el("div", { class: "actions" },
      el("button", { type: "button", class: "secondary", id: "keep-answers", autofocus: true, onclick: () => dialog.close() }, "No, keep my answers"),
      el("button", { type: "button", class: "danger", id: "clear-answers", onclick: () => {
        sessionStorage.removeItem(DRAFT);
        sessionStorage.removeItem(KEY);  // new answers are a new submission, never a retry of the old one
        location.reload();
      } }, "Yes, clear my answers")));
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
  button.textContent = "Sending...";
  // The same key for every retry of this submission: the service stores it once however often it arrives.
  let key = sessionStorage.getItem(KEY);
  if (!key) { key = crypto.randomUUID(); sessionStorage.setItem(KEY, key); }
  const reply = await api("intakes", { method: "POST", body: answers(), headers: { "Idempotency-Key": key } });
  button.disabled = false;
  button.textContent = "Send my answers";
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
  const problem = reply.status === 0
    ? "We couldn't reach our service. Check your connection and try again: your answers are still here, and trying again will not send them twice."
    : reply.status === 503 || reply.status === 409
      ? "Our service is busy. Your answers are still here; please try again in a moment (it will not send them twice)."
      : "Something went wrong on our side. Your answers are still here; please try again.";
  const notice = el("div", { class: "error-summary", role: "alert", tabindex: "-1" },
    el("h2", {}, "Your answers were not sent yet"), el("p", {}, problem),
    el("button", { type: "button", onclick: submit }, "Try again"));
  steps[current].section.querySelector("h2").after(notice);
  notice.focus();
}

function confirmation(body) {
  sessionStorage.removeItem(DRAFT);
  sessionStorage.removeItem(KEY);
  document.getElementById("intro").hidden = true;  // it speaks of answers not sent yet
  const link = new URL(body.status_link, document.baseURI).href;
  const next = el("p", { id: "next-step" }, body.urgent
    ? "Because of your answer about safety, a member of our team will contact you first, as soon as we can. "
    : "A member of our team will read them and suggest a counselor, usually within two working days. ",
    "Save this private link to see where things stand at any time (anyone with the link can see your status, so keep it to yourself):");
  const anchor = el("a", { href: link, id: "status-link", class: "long-link" }, link);
  const copied = el("span", { id: "copy-status", role: "status" });
  clear(app).append(
    el("section", { class: "success", "aria-labelledby": "thanks" },
      el("h2", { id: "thanks", tabindex: "-1" }, "Thank you. We have your answers."),
      el("p", {}, "Your reference is ", el("strong", { id: "reference" }, body.reference), "."),
      next,
      el("p", {}, anchor),
      el("p", { class: "copy-link" },
        el("button", { type: "button", class: "secondary", id: "copy-link", onclick: () => copyLink(link, anchor, copied) }, "Copy link"),
        copied),
      el("p", { id: "link-emailed" }, "We are also emailing this link to the address you gave us, so you can find it again later.")),
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
    status.textContent = "Copied";
  } catch {
    const range = document.createRange();
    range.selectNodeContents(anchor);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    status.textContent = "The link is selected: copy it with your device's copy command.";
  }
}

async function showShortlistReady(body, next, link) {
  const reply = await api(`intakes/${encodeURIComponent(body.reference)}/shortlist`, { headers: { "X-Status-Token": body.status_token } });
  if (!reply.ok || !reply.body?.open) return;
  next.replaceWith(el("div", { id: "next-step" },
    el("p", {}, `We found ${reply.body.entries.length === 1 ? "a counselor" : `${reply.body.entries.length} counselors`} who could fit you well. `,
      "On your private status page you can see how each fits what you asked for, what each would likely cost you, and when you could start, and book a first conversation yourself."),
    el("p", {}, el("a", { class: "button", href: link }, "See your shortlist")),
    el("p", {}, "Keep this private link to come back later (anyone with it can see your request, so keep it to yourself):")));
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
    el("button", { type: "button", id: "back", class: "secondary", onclick: back }, "Back"),
    el("button", { type: "button", id: "next", onclick: next }, "Next"),
    el("button", { type: "button", id: "submit", onclick: submit }, "Send my answers"),
    el("button", { type: "button", class: "secondary", id: "start-over", onclick: () => dialog.showModal() }, "Start over")));
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
    "The form could not load. Please check your connection and reload the page."));
});
