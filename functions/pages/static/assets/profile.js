// A counselor's public profile as a card (directory and status page): only fields the API made public.
import { el, labelsOf, t } from "./common.js";
import { dollars, markLanguage } from "./i18n.js";

function tags(items) {
  return el("ul", { class: "tags" }, items.map((item) => el("li", {}, item)));
}

function row(term, items) {
  return items.length ? [el("dt", {}, term), el("dd", {}, tags(items))] : [];
}

function line(term, items) {
  return items.length ? [el("dt", {}, term), el("dd", {}, items.join(", "))] : [];
}

// Each part of a public profile: its items in words (its term is the catalog's profile.<part>).
const PARTS = {
  specialties: (c, lists) => labelsOf(lists, "Concern", c.concerns_primary),
  alsoWorksWith: (c, lists) => labelsOf(lists, "Concern", c.concerns_experienced),
  approaches: (c, lists) => labelsOf(lists, "Approach", c.approaches),
  languages: (c, lists) => labelsOf(lists, "Language", c.languages),
  sessions: (c, lists) => labelsOf(lists, "SessionFormat", c.formats),
  offices: (c) => (c.offices || []).map((o) => `${o.label}, ${o.city}`),
  worksWith: (c, lists) => labelsOf(lists, "ServiceType", c.service_types),
  values: (c, lists) => labelsOf(lists, "Value", c.values_centered),
  faith: (c, lists) => labelsOf(lists, "FaithTradition", c.faith_integration),
  culture: (c, lists) => labelsOf(lists, "CulturalBackground", c.cultural_experience),
  licensed: (c, lists) => labelsOf(lists, "Jurisdiction", c.licensed_in),
  insurance: (c, lists) => labelsOf(lists, "InsuranceCarrier", c.insurance_panels),
  fee: (c) => [dollars(c.fee_per_session)],
  lgbtq: (c) => (c.lgbtq_affirming ? [t("profile.lgbtq.affirming")] : []),
};

function parts(c, lists, names, shape = row) {
  return names.flatMap((name) => shape(t(`profile.${name}`), PARTS[name](c, lists)));
}

// A bio is written by the practice, in English: marked so, on a page in another language.
function bio(c) {
  return c.bio ? markLanguage(el("p", { class: "bio" }, c.bio), "en") : null;
}

function heading(c, level) {
  return el(level, { id: `name-${c.counselor_id}` }, c.name, c.pronouns ? el("span", { class: "muted" }, ` (${c.pronouns})`) : null);
}

function standing(c) {
  return el("p", { class: "muted" }, [c.credentials.join(", "), t(c.accepting_new_clients ? "profile.accepting" : "profile.not_accepting")].filter(Boolean).join(" · "));
}

export function profileCard(c, lists, level = "h2") {
  return el("article", { class: "card", "aria-labelledby": `name-${c.counselor_id}` },
    heading(c, level),
    standing(c),
    bio(c),
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
      el("summary", {}, t("profile.more_about", { name: c.name })),
      bio(c),
      el("dl", { class: "answers" }, parts(c, lists, ["specialties", "alsoWorksWith", "approaches", "offices", "worksWith",
        "values", "culture", "licensed", "fee", "lgbtq"]))));
}
