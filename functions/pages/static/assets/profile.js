// A counselor's public profile as a card (directory and status page): only fields the API made public.
import { el, labelsOf } from "./common.js";

function tags(items) {
  return el("ul", { class: "tags" }, items.map((item) => el("li", {}, item)));
}

function row(term, items) {
  return items.length ? [el("dt", {}, term), el("dd", {}, tags(items))] : [];
}

export function profileCard(c, lists, heading = "h2") {
  const offices = (c.offices || []).map((o) => `${o.label}, ${o.city}`);
  return el("article", { class: "card", "aria-labelledby": `name-${c.counselor_id}` },
    el(heading, { id: `name-${c.counselor_id}` }, c.name, c.pronouns ? el("span", { class: "muted" }, ` (${c.pronouns})`) : null),
    el("p", { class: "muted" }, [c.credentials.join(", "), c.accepting_new_clients ? "Accepting new clients" : "Not accepting new clients right now"].join(" · ")),
    c.bio ? el("p", {}, c.bio) : null,
    el("dl", { class: "answers" },
      row("Specialties", labelsOf(lists, "Concern", c.concerns_primary)),
      row("Also works with", labelsOf(lists, "Concern", c.concerns_experienced)),
      row("Approaches", labelsOf(lists, "Approach", c.approaches)),
      row("Languages", labelsOf(lists, "Language", c.languages)),
      row("Sessions", labelsOf(lists, "SessionFormat", c.formats)),
      row("Offices", offices),
      row("Works with", labelsOf(lists, "ServiceType", c.service_types)),
      row("Values at the heart of their work", labelsOf(lists, "Value", c.values_centered)),
      row("Can bring faith into counseling", labelsOf(lists, "FaithTradition", c.faith_integration)),
      row("Cultural experience", labelsOf(lists, "CulturalBackground", c.cultural_experience)),
      row("Licensed in", labelsOf(lists, "Jurisdiction", c.licensed_in)),
      row("Insurance", labelsOf(lists, "InsuranceCarrier", c.insurance_panels)),
      row("Fee per session", [`$${c.fee_per_session}`]),
      c.lgbtq_affirming ? row("LGBTQ+", ["Affirming"]) : []));
}

function line(term, items) {
  return items.length ? [el("dt", {}, term), el("dd", {}, items.join(", "))] : [];
}

// The directory's compact card: who they are, whether they take new clients, and what the filters look at
// (languages, how they meet, insurance, faith), as plain lines; the rest of the public profile behind a button.
export function directoryCard(c, lists, heading = "h2") {
  const offices = (c.offices || []).map((o) => `${o.label}, ${o.city}`);
  return el("article", { class: "card compact", "aria-labelledby": `name-${c.counselor_id}` },
    el(heading, { id: `name-${c.counselor_id}` }, c.name, c.pronouns ? el("span", { class: "muted" }, ` (${c.pronouns})`) : null),
    el("p", { class: "muted" }, [c.credentials.join(", "), c.accepting_new_clients ? "Accepting new clients" : "Not accepting new clients right now"].filter(Boolean).join(" · ")),
    el("dl", { class: "answers facts" },
      line("Languages", labelsOf(lists, "Language", c.languages)),
      line("Sessions", labelsOf(lists, "SessionFormat", c.formats)),
      line("Insurance", labelsOf(lists, "InsuranceCarrier", c.insurance_panels)),
      line("Can bring faith into counseling", labelsOf(lists, "FaithTradition", c.faith_integration))),
    el("details", {},
      el("summary", {}, "More about ", c.name),
      c.bio ? el("p", {}, c.bio) : null,
      el("dl", { class: "answers" },
        row("Specialties", labelsOf(lists, "Concern", c.concerns_primary)),
        row("Also works with", labelsOf(lists, "Concern", c.concerns_experienced)),
        row("Approaches", labelsOf(lists, "Approach", c.approaches)),
        row("Offices", offices),
        row("Works with", labelsOf(lists, "ServiceType", c.service_types)),
        row("Values at the heart of their work", labelsOf(lists, "Value", c.values_centered)),
        row("Cultural experience", labelsOf(lists, "CulturalBackground", c.cultural_experience)),
        row("Licensed in", labelsOf(lists, "Jurisdiction", c.licensed_in)),
        row("Fee per session", [`$${c.fee_per_session}`]),
        c.lgbtq_affirming ? row("LGBTQ+", ["Affirming"]) : [])));
}
