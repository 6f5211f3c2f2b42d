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

function buildSteps() {
  const days = lists.Day;
  const parts = lists.DayPart;
  const slotOptions = [];
  for (const day of days) for (const part of parts) slotOptions.push({ value: `${day.value}:${part.value}`, label: `${day.label} ${part.label.toLowerCase()}` });
  const noPreference = { value: "no_preference", label: "No preference" };

  return [
    {
      title: "About you",
      fields: [
        choiceGroup({ name: "client.service_type", legend: "Who is the counseling for?", type: "radio", options: lists.ServiceType }),
        field({ name: "client.age", label: "Age (of the person the counseling is for)", type: "number", min: 5, max: 120, inputmode: "numeric",
          hint: "Or choose an age range below if you'd rather not give an exact age." }),
        selectField({ name: "client.age_band", label: "Age range", options: lists.AgeBand }),
        selectField({ name: "client.jurisdiction", label: "Where will you be during sessions?", options: lists.Jurisdiction, required: true,
          hint: "Counselors can only see clients in the state or province where they are licensed." }),
      ],
    },
    {
      title: "How and when",
      fields: [
        choiceGroup({ name: "format.format", legend: "How would you like to meet?", type: "radio", options: lists.FormatPreference }),
        field({ name: "format.postal_code", label: "Your ZIP or postal code", maxlength: 10, autocomplete: "postal-code",
          hint: "Needed for in-person sessions, to find an office near you." }),
        field({ name: "format.travel_radius_miles", label: "How far can you travel (miles)?", type: "number", min: 1, max: 200, inputmode: "numeric" }),
        choiceGroup({ name: "format.availability", legend: "When could you usually meet?", options: slotOptions,
          hint: "Choose every time that could work." }),
        importanceGroup(lists, "format.availability_importance", "How much do these times matter?"),
      ],
    },
    {
      title: "Cost",
      fields: [
        choiceGroup({ name: "payment.method", legend: "How will you pay?", type: "radio", options: lists.PaymentMethod }),
        selectField({ name: "payment.insurance_carrier", label: "Insurance carrier", options: lists.InsuranceCarrier }),
        field({ name: "payment.max_fee_per_session", label: "The most you can pay per session (US dollars)", type: "number", min: 0, max: 1000, inputmode: "numeric" }),
        choiceGroup({ name: "payment.needs_sliding_scale", legend: "Sliding scale", options: [{ value: "true", label: "I need a reduced (sliding-scale) fee" }] }),
        importanceGroup(lists, "payment.importance", "How much does cost matter?"),
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
        importanceGroup(lists, "values.importance", "How much does a counselor who shares these values matter?"),
        why("Some people want a counselor who shares or understands their background. You decide whether that matters."),
        choiceGroup({ name: "culture.backgrounds", legend: "Your cultural or ethnic background (optional)", options: lists.CulturalBackground,
          max: LIMITS["culture.backgrounds"], hint: "Choose up to 5." }),
        field({ name: "culture.self_description", label: "In your own words", maxlength: 200 }),
        choiceGroup({ name: "culture.prefer_not_to_say", legend: "Prefer not to say", options: [{ value: "true", label: "I'd prefer not to say" }] }),
        choiceGroup({ name: "culture.counselor_preference", legend: "Would you like a counselor who...", type: "radio", options: lists.CulturePreference }),
        importanceGroup(lists, "culture.importance"),
        why("Your faith can be part of counseling, or not. We keep a counselor's own faith separate from whether they bring faith into their work."),
        selectField({ name: "faith.tradition", label: "Your faith or spiritual tradition (optional)", placeholder: "Prefer not to say",
          options: [...lists.FaithTradition, { value: "none", label: "None" }] }),
        choiceGroup({ name: "faith.role", legend: "How would you like faith in counseling?", type: "radio", options: lists.FaithRole }),
        importanceGroup(lists, "faith.importance"),
      ],
    },
    {
      title: "Your counselor",
      fields: [
        choiceGroup({ name: "languages.languages", legend: "Languages you'd like to have sessions in", options: lists.Language,
          max: LIMITS["languages.languages"], hint: "Choose at least one, up to 5." }),
        importanceGroup(lists, "languages.importance", "How much does the language matter?"),
        why("Some people feel more at ease with a counselor of a particular gender. It's optional."),
        choiceGroup({ name: "counselor_gender.preferred", legend: "Counselor gender you'd prefer (optional)", options: lists.Gender }),
        importanceGroup(lists, "counselor_gender.importance"),
        why("So we can suggest counselors who affirm who you are. It's optional, and you can say you'd prefer not to."),
        choiceGroup({ name: "identity.lgbtq", legend: "Do you identify as LGBTQ+? (optional)", type: "radio", options: lists.SexualityAnswer }),
        choiceGroup({ name: "identity.wants_affirming", legend: "Affirming counselor", options: [{ value: "true", label: "I'd like an LGBTQ+-affirming counselor" }] }),
        importanceGroup(lists, "identity.importance"),
        choiceGroup({ name: "approach.preferred", legend: "Ways of working you'd like (optional)", options: lists.Approach }),
        importanceGroup(lists, "approach.importance"),
        choiceGroup({ name: "style.directness", legend: "Would you like your counselor to be...", type: "radio", options: [...lists.Directness, noPreference] }),
        choiceGroup({ name: "style.structure", legend: "And sessions to be...", type: "radio", options: [...lists.Structure, noPreference] }),
        importanceGroup(lists, "style.importance"),
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

function saveDraft() {
  sessionStorage.setItem(DRAFT, JSON.stringify({ step: current, pairs: pairs() }));
}

function restoreDraft() {
  const saved = JSON.parse(sessionStorage.getItem(DRAFT) || "null");
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
  for (const [name, value] of pairs()) grouped.set(name, [...(grouped.get(name) || []), value]);
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
      const controls = [...group.querySelectorAll("input, select, textarea")].filter((c) => c.name === name && c.type !== "hidden");
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

function show(index, focusHeading = true) {
  current = index;
  steps.forEach((step, i) => { step.section.hidden = i !== index; });
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
  if (focusHeading) steps[index].section.querySelector("h2").focus();
}

function next() {
  const errors = checkStep(current);
  if (errors.length) { showErrors(errors, current); return; }
  clearErrors();
  show(current + 1);
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
  const link = new URL(body.status_link, document.baseURI).href;
  const next = el("p", { id: "next-step" }, body.urgent
    ? "Because of your answer about safety, a member of our team will contact you first, as soon as we can. "
    : "A member of our team will read them and suggest a counselor, usually within two working days. ",
    "Save this private link to see where things stand at any time (anyone with the link can see your status, so keep it to yourself):");
  clear(app).append(
    el("section", { class: "success", "aria-labelledby": "thanks" },
      el("h2", { id: "thanks", tabindex: "-1" }, "Thank you. We have your answers."),
      el("p", {}, "Your reference is ", el("strong", { id: "reference" }, body.reference), "."),
      next,
      el("p", {}, el("a", { href: link, id: "status-link", class: "long-link" }, link))),
    ...(body.urgent ? [crisisResources("h2", { sent: true })] : []),  // append() would write a left-out part as "null"
  );
  document.getElementById("thanks").focus();
  // When the practice lets clients choose (and never for an urgent intake), the shortlist is ready at once.
  if (!body.urgent) showShortlistReady(body, next, link);
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
  const progress = el("div", { class: "progress", id: "progress" },
    el("p", { class: "counter", "aria-live": "polite" }),
    el("ol", { "aria-hidden": "true" }, steps.map(() => el("li"))));
  for (const step of steps) {
    step.section = el("section", { hidden: true }, el("h2", { tabindex: "-1" }, step.title), step.fields);
    form.append(step.section);
  }
  form.append(el("div", { class: "actions" },
    el("button", { type: "button", id: "back", class: "secondary", onclick: () => { clearErrors(); show(current - 1); } }, "Back"),
    el("button", { type: "button", id: "next", onclick: next }, "Next"),
    el("button", { type: "button", id: "submit", onclick: submit }, "Send my answers"),
    el("button", { type: "button", class: "secondary", id: "start-over", onclick: () => { sessionStorage.removeItem(DRAFT); location.reload(); } }, "Start over")));
  form.addEventListener("submit", (event) => { event.preventDefault(); if (current === steps.length - 1) submit(); else next(); });
  form.addEventListener("change", (event) => {
    enforceLimits(event);
    if (event.target.name === "concerns.concerns") {
      refreshPrimaryOptions([...form.querySelectorAll('[name="concerns.concerns"]:checked')].map((b) => b.value));
    }
    if (event.target.name === "safety") updateCrisis();
    saveDraft();
  });
  form.addEventListener("input", saveDraft);
  clear(app).append(progress, form);
  const step = restoreDraft();
  for (const group of form.querySelectorAll("fieldset[data-max]")) enforceLimits({ target: group.querySelector("input") || group });
  updateCrisis();
  show(step, false);
}

start().catch(() => {
  clear(app).append(el("div", { class: "notice", role: "alert" },
    "The form could not load. Please check your connection and reload the page."));
});
