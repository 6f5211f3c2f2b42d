// A counselor's public profile as a card (directory and status page): only fields the API made public.
import { el, labelsOf } from "./common.js";

function tags(items) {
  return el("ul", { class: "tags" }, items.map((item) => el("li", {}, item)));
}

function row(term, items) {
  return items.length ? [el("dt", {}, term), el("dd", {}, tags(items))] : [];
}

function line(term, items) {
  return items.length ? [el("dt", {}, term), el("dd", {}, items.join(", "))] : [];
}

// Each part of a public profile: its term, and its items in words.
const PARTS = {
  specialties: ["Specialties", (c, lists) => labelsOf(lists, "Concern", c.concerns_primary)],
  alsoWorksWith: ["Also works with", (c, lists) => labelsOf(lists, "Concern", c.concerns_experienced)],
  approaches: ["Approaches", (c, lists) => labelsOf(lists, "Approach", c.approaches)],
  languages: ["Languages", (c, lists) => labelsOf(lists, "Language", c.languages)],
  sessions: ["Sessions", (c, lists) => labelsOf(lists, "SessionFormat", c.formats)],
  offices: ["Offices", (c) => (c.offices || []).map((o) => `${o.label}, ${o.city}`)],
  worksWith: ["Works with", (c, lists) => labelsOf(lists, "ServiceType", c.service_types)],
  values: ["Values at the heart of their work", (c, lists) => labelsOf(lists, "Value", c.values_centered)],
  faith: ["Can bring faith into counseling", (c, lists) => labelsOf(lists, "FaithTradition", c.faith_integration)],
  culture: ["Cultural experience", (c, lists) => labelsOf(lists, "CulturalBackground", c.cultural_experience)],
  licensed: ["Licensed in", (c, lists) => labelsOf(lists, "Jurisdiction", c.licensed_in)],
  insurance: ["Insurance", (c, lists) => labelsOf(lists, "InsuranceCarrier", c.insurance_panels)],
  fee: ["Fee per session", (c) => [`$${c.fee_per_session}`]],
  lgbtq: ["LGBTQ+", (c) => (c.lgbtq_affirming ? ["Affirming"] : [])],
};

function parts(c, lists, names, shape = row) {
  return names.flatMap((name) => shape(PARTS[name][0], PARTS[name][1](c, lists)));
}

function heading(c, level) {
  return el(level, { id: `name-${c.counselor_id}` }, c.name, c.pronouns ? el("span", { class: "muted" }, ` (${c.pronouns})`) : null);
}

function standing(c) {
  return el("p", { class: "muted" }, [c.credentials.join(", "), c.accepting_new_clients ? "Accepting new clients" : "Not accepting new clients right now"].filter(Boolean).join(" · "));
}

export function profileCard(c, lists, level = "h2") {
  return el("article", { class: "card", "aria-labelledby": `name-${c.counselor_id}` },
    heading(c, level),
    standing(c),
    c.bio ? el("p", {}, c.bio) : null,
    el("dl", { class: "answers" }, parts(c, lists, ["specialties", "alsoWorksWith", "approaches", "languages", "sessions",
      "offices", "worksWith", "values", "faith", "culture", "licensed", "insurance", "fee", "lgbtq"])));
}

// The directory's compact card: who they are, whether they take new clients, and what the filters look at
// (languages, how they meet, insurance, faith), as plain lines; the rest of the public profile behind a button.
export function directoryCard(c, lists, level = "h2") {
  return el("article", { class: "card compact", "aria-labelledby": `name-${c.counselor_id}` },
    heading(c, level),
    standing(c),
    el("dl", { class: "answers facts" }, parts(c, lists, ["languages", "sessions", "insurance", "faith"], line)),
    el("details", {},
      el("summary", {}, "More about ", c.name),
      c.bio ? el("p", {}, c.bio) : null,
      el("dl", { class: "answers" }, parts(c, lists, ["specialties", "alsoWorksWith", "approaches", "offices", "worksWith",
        "values", "culture", "licensed", "fee", "lgbtq"]))));
}
