// The counselor form: every profile field, grouped, with who may see it. An admin edits all of it; a
// counselor editing their own profile (`own`) sees the admin-only fields as text, never as inputs, so a save
// cannot send them.
import { choiceGroup, el, field, labelsOf, selectField } from "./common.js";

const LISTS = {
  licensed_in: "Jurisdiction", formats: "SessionFormat", languages: "Language", concerns_primary: "Concern",
  concerns_experienced: "Concern", approaches: "Approach", service_types: "ServiceType", age_bands: "AgeBand",
  values_centered: "Value", faith_integration: "FaithTradition", cultural_experience: "CulturalBackground",
  insurance_panels: "InsuranceCarrier",
};

function multi(lists, name, legend, hint) {
  const options = name === "faith_integration" ? lists.FaithTradition : lists[LISTS[name]];
  return choiceGroup({ name, legend, options, hint });
}

function visibility(lists, name) {
  return choiceGroup({ name: `${name}__visibility`, legend: "Who may see it", type: "radio", options: lists.IdentityVisibility, id: `f-${name}-visibility` });
}

// What only the practice's admin sets, shown to the counselor as text beside the fields they edit.
function adminOnlyView(lists, c) {
  const max = c.max_open_slots;
  const rows = [
    ["Credentials", (c.credentials || []).join(", ")],
    ["Licensed in", labelsOf(lists, "Jurisdiction", c.licensed_in).join(", ")],
    ["License numbers", (c.license_numbers || []).join(", ") || "None recorded"],
    ["On the roster", c.active ? "Active" : "Not active"],
    ["Most new clients you may offer", max === null || max === undefined ? "No limit set (up to 200)" : String(max)],
  ];
  return el("section", { class: "card admin-only", "aria-labelledby": "admin-only-title" },
    el("h2", { id: "admin-only-title" }, "Set by the practice's admin"),
    el("p", { class: "hint" }, "Only the practice's admin can change these. Ask them if something is wrong."),
    el("dl", { class: "answers" }, rows.flatMap(([term, value]) => [el("dt", {}, term), el("dd", {}, value)])));
}

export function counselorForm(lists, existing, { own = false } = {}) {
  const slotOptions = [];
  for (const day of lists.Day) for (const part of lists.DayPart) slotOptions.push({ value: `${day.value}:${part.value}`, label: `${day.label} ${part.label.toLowerCase()}` });
  const admin = (node) => (own ? null : node);
  const max = existing?.max_open_slots;
  const slotsHint = own && max !== null && max !== undefined ? `At most ${max}, set by the practice.` : undefined;
  const form = el("form", { novalidate: true, class: "profile", "aria-label": own ? "Your profile" : "Counselor profile" },
    own ? adminOnlyView(lists, existing) : null,
    el("h2", {}, "Public profile"),
    field({ name: "name", label: "Name", required: true, maxlength: 100 }),
    field({ name: "pronouns", label: "Pronouns", maxlength: 30 }),
    admin(field({ name: "credentials", label: "Credentials", required: true, hint: "Comma-separated, e.g. LMFT, PhD" })),
    field({ name: "bio", label: "Bio", type: "textarea", maxlength: 1500 }),
    admin(multi(lists, "licensed_in", "Licensed in")),
    multi(lists, "formats", "Session formats"),
    field({ name: "offices", label: "Offices", type: "textarea", hint: "One per line: label | city | postal code" }),
    multi(lists, "languages", "Languages"),
    multi(lists, "concerns_primary", "Specialties (up to 6)"),
    multi(lists, "concerns_experienced", "Also works with"),
    multi(lists, "approaches", "Approaches"),
    multi(lists, "service_types", "Works with (service types)"),
    multi(lists, "age_bands", "Age bands"),
    multi(lists, "values_centered", "Values they work from"),
    multi(lists, "cultural_experience", "Cultural experience"),
    multi(lists, "insurance_panels", "Insurance panels"),
    field({ name: "fee_per_session", label: "Fee per session (USD)", type: "number", min: 0, max: 1000, required: true }),
    choiceGroup({ name: "lgbtq_affirming", legend: "LGBTQ+", options: [{ value: "true", label: "LGBTQ+-affirming" }] }),
    el("h2", {}, "Faith in counseling"),
    multi(lists, "faith_integration", own ? "Traditions you integrate when a client asks" : "Traditions they integrate when a client asks",
      own ? "Kept separate from your own faith below." : "Kept separate from their own faith below."),
    choiceGroup({ name: "show_faith_integration", legend: "Directory", options: [{ value: "true", label: "Show faith integration on the public profile" }] }),
    el("h2", {}, own ? "Your own identity (optional, your choice)" : "Their own identity (optional, their choice)"),
    choiceGroup({ name: "cultural_identity", legend: own ? "Your own cultural background" : "Their own cultural background", options: lists.CulturalBackground }),
    visibility(lists, "cultural_identity"),
    selectField({ name: "faith_identity", label: own ? "Your own faith" : "Their own faith", options: [...lists.FaithTradition, { value: "none", label: "None" }], placeholder: "Not shared" }),
    visibility(lists, "faith_identity"),
    selectField({ name: "gender", label: "Gender", options: lists.Gender, placeholder: "Not shared" }),
    visibility(lists, "gender"),
    el("h2", {}, own ? "Capacity and matching" : "For staff and matching"),
    admin(field({ name: "license_numbers", label: "License numbers", hint: "Comma-separated; staff only" })),
    field({ name: "open_slots", label: "Open slots for new clients", type: "number", min: 0, max: max ?? 200, required: true, hint: slotsHint }),
    admin(field({ name: "max_open_slots", label: "Most new clients they may offer", type: "number", min: 0, max: 200,
      hint: "The counselor cannot set their open slots above this. Leave empty for no limit (up to 200)." })),
    choiceGroup({ name: "accepting_new_clients", legend: "Accepting", options: [{ value: "true", label: "Accepting new clients" }] }),
    admin(choiceGroup({ name: "active", legend: "Active", options: [{ value: "true", label: "Active on the roster" }] })),
    field({ name: "sliding_scale_min", label: "Lowest sliding-scale fee", type: "number", min: 0, max: 1000 }),
    choiceGroup({ name: "availability", legend: "Availability", options: slotOptions }),
    choiceGroup({ name: "directness", legend: "Style", type: "radio", options: lists.Directness }),
    choiceGroup({ name: "structure", legend: "Structure", type: "radio", options: lists.Structure }),
    scheduleSection(lists, own),
    el("div", { class: "actions" }, el("button", { type: "submit" }, own ? "Save my profile" : "Save")));
  fill(form, existing || { formats: ["telehealth"], languages: ["en"], service_types: ["individual_adult"], age_bands: ["adult"],
    open_slots: 0, accepting_new_clients: true, active: true, show_faith_integration: true, directness: "balanced", structure: "balanced" });
  return form;
}

// When clients can book a first conversation: the counselor's own time zone, weekly windows in their wall
// time, dates off, and the kinds of first conversation offered. The server checks it all (quarter hours,
// no overlapping windows, a known IANA zone) and its field errors are shown next to each part.
const KINDS = ["consult_call", "first_session"];

function scheduleSection(lists, own) {
  const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  const zoneField = own
    ? field({ name: "schedule.time_zone", label: "Your time zone", hint: "An IANA zone, e.g. America/Los_Angeles. Leave empty and clients cannot book with you.", maxlength: 64 })
    : field({ name: "schedule.time_zone", label: "Their time zone", hint: "An IANA zone, e.g. America/Los_Angeles. Leave empty and clients cannot book with them.", maxlength: 64 });
  const zoneInput = zoneField.querySelector("input");
  zoneInput.setAttribute("list", "time-zones");
  zoneInput.setAttribute("autocomplete", "off");
  zoneField.append(el("datalist", { id: "time-zones" }, zones.map((z) => el("option", { value: z }))));
  const offers = KINDS.map((kind) => el("fieldset", { "data-field": `schedule.offers.${kind}`, id: `f-offer-${kind}` },
    el("legend", {}, (lists.MeetingKind || []).find((k) => k.value === kind)?.label || kind),
    el("div", { class: "choice" },
      el("input", { type: "checkbox", id: `f-offer-${kind}-on`, name: `offer.${kind}` , value: "true" }),
      el("label", { for: `f-offer-${kind}-on` }, "Offered")),
    field({ name: `offer.${kind}.minutes`, label: "Length (minutes)", type: "number", min: 10, max: 180 }),
    selectField({ name: `offer.${kind}.format`, label: "Held by", options: lists.ConversationFormat || [], placeholder: "Choose..." }),
    field({ name: `offer.${kind}.buffer_minutes`, label: "Kept free after it (minutes)", type: "number", min: 0, max: 60 })));
  return el("section", { "data-field": "schedule", "aria-labelledby": "schedule-title" },
    el("h2", { id: "schedule-title" }, "First conversations clients can book"),
    zoneField,
    el("div", { "data-field": "schedule.windows" },
      field({ name: "schedule.windows", label: "Weekly windows", type: "textarea", hint: `One per line, in ${own ? "your" : "their"} own time: day start-end on quarter hours, e.g. mon 09:00-12:00` })),
    el("div", { "data-field": "schedule.dates_off" },
      field({ name: "schedule.dates_off", label: "Dates off", hint: "Comma-separated dates, e.g. 2026-12-24, 2026-12-25" })),
    el("div", { "data-field": "schedule.offers" }, offers));
}

const pad = (value) => (/^\d:\d\d$/.test(value) ? `0${value}` : value);

function readSchedule(one, data) {
  const zone = one("schedule.time_zone").trim();
  if (!zone) return null;
  const windows = one("schedule.windows").split("\n").map((line) => line.trim()).filter(Boolean).map((line) => {
    const found = line.match(/^(\w+)\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$/);
    return found ? { day: found[1].toLowerCase().slice(0, 3), start: pad(found[2]), end: pad(found[3]) } : { day: line, start: "", end: "" };
  });
  const number = (name) => (one(name) === "" ? null : Number(one(name)));
  const offers = KINDS.filter((kind) => data.has(`offer.${kind}`)).map((kind) => ({
    kind, minutes: number(`offer.${kind}.minutes`), format: one(`offer.${kind}.format`), buffer_minutes: number(`offer.${kind}.buffer_minutes`) ?? 0 }));
  return { time_zone: zone, windows, dates_off: one("schedule.dates_off").split(",").map((d) => d.trim()).filter(Boolean), offers };
}

function scheduleValues(schedule) {
  const values = { "schedule.time_zone": schedule?.time_zone || "",
    "schedule.windows": (schedule?.windows || []).map((w) => `${w.day} ${w.start.slice(0, 5)}-${w.end.slice(0, 5)}`).join("\n"),
    "schedule.dates_off": (schedule?.dates_off || []).join(", ") };
  for (const kind of KINDS) {
    const offer = (schedule?.offers || []).find((o) => o.kind === kind);
    values[`offer.${kind}`] = Boolean(offer);
    values[`offer.${kind}.minutes`] = offer ? offer.minutes : (kind === "consult_call" ? 20 : 50);
    values[`offer.${kind}.format`] = offer ? offer.format : (kind === "consult_call" ? "phone" : "telehealth");
    values[`offer.${kind}.buffer_minutes`] = offer ? offer.buffer_minutes : 10;
  }
  return values;
}

function fill(form, c) {
  form.loaded = c;
  const values = {
    ...c,
    ...scheduleValues(c.schedule),
    credentials: (c.credentials || []).join(", "),
    license_numbers: (c.license_numbers || []).join(", "),
    offices: (c.offices || []).map((o) => `${o.label} | ${o.city} | ${o.postal_code}`).join("\n"),
    availability: (c.availability || []).map((s) => `${s.day}:${s.part}`),
    cultural_identity: c.cultural_identity?.value || [],
    cultural_identity__visibility: c.cultural_identity?.visibility || "matching_only",
    faith_identity: c.faith_identity?.value || "",
    faith_identity__visibility: c.faith_identity?.visibility || "matching_only",
    gender: c.gender?.value || "",
    gender__visibility: c.gender?.visibility || "matching_only",
  };
  for (const element of form.elements) {
    if (!element.name || !(element.name in values)) continue;
    const value = values[element.name];
    if (element.type === "checkbox") element.checked = Array.isArray(value) ? value.includes(element.value) : value === true;
    else if (element.type === "radio") element.checked = value === element.value;
    else element.value = value ?? "";
  }
}

// The form's body: every field it holds. A counselor's own form holds no admin-only field, and `omit` (the
// profile's admin_only list) keeps their names out of the body altogether.
export function readCounselorForm(form, omit = []) {
  const data = new FormData(form);
  // Checkboxes read in the vocabulary's order; the profile's lists keep the order they were saved in, so a
  // save that leaves a list alone does not change it (nor show in the change history as changed).
  const keepOrder = (values, before = []) => [...before.filter((v) => values.includes(v)), ...values.filter((v) => !before.includes(v))];
  const all = (name) => keepOrder(data.getAll(name).filter((v) => v !== ""), form.loaded?.[name]);
  const one = (name) => data.get(name) || "";
  const number = (name) => (one(name) === "" ? null : Number(one(name)));
  const csv = (name) => one(name).split(",").map((v) => v.trim()).filter(Boolean);
  const identity = (name, value) => (value && value.length ? { value, visibility: one(`${name}__visibility`) || "matching_only" } : null);
  const body = {
    name: one("name"), pronouns: one("pronouns"), credentials: csv("credentials"), bio: one("bio"),
    license_numbers: csv("license_numbers"),
    offices: one("offices").split("\n").map((line) => line.split("|").map((p) => p.trim())).filter((p) => p[0])
      .map(([label, city, postal_code]) => ({ label, city: city || "", postal_code: postal_code || "" })),
    availability: keepOrder(data.getAll("availability"), (form.loaded?.availability || []).map((s) => `${s.day}:${s.part}`))
      .map((v) => ({ day: v.split(":")[0], part: v.split(":")[1] })),
    fee_per_session: number("fee_per_session"), sliding_scale_min: number("sliding_scale_min"), open_slots: number("open_slots"),
    max_open_slots: number("max_open_slots"),
    lgbtq_affirming: data.has("lgbtq_affirming"), show_faith_integration: data.has("show_faith_integration"),
    accepting_new_clients: data.has("accepting_new_clients"), active: data.has("active"),
    directness: one("directness") || "balanced", structure: one("structure") || "balanced",
    cultural_identity: identity("cultural_identity", keepOrder(data.getAll("cultural_identity"), form.loaded?.cultural_identity?.value)),
    faith_identity: identity("faith_identity", one("faith_identity")),
    gender: identity("gender", one("gender")),
    schedule: readSchedule(one, data),
  };
  for (const name of Object.keys(LISTS)) body[name] = all(name);
  for (const name of omit) delete body[name];
  return body;
}
