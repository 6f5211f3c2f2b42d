// The public directory: the whole team's public profiles (a practice's team is small: the page reads them all,
// 100 at a time), narrowed in the page by insurance, language, faith, format and who is accepting new clients.
// The filters look only at what each counselor lists in their public profile; the intake does the matching.
import { api, clear, config, el, setPracticeName, vocabulary } from "./common.js";
import { directoryCard, profileCard } from "./profile.js";

const app = document.getElementById("app");
const PAGE = 100;
const MOST_PAGES = 20;  // a bound on the loop, far above any practice's team

// Each filter: the select's label, what "any" says, which profile field it reads, and its vocabulary list.
const FILTERS = [
  { name: "insurance", label: "Takes my insurance", any: "Any insurance, or paying myself", field: "insurance_panels", list: "InsuranceCarrier" },
  { name: "language", label: "Speaks", any: "Any language", field: "languages", list: "Language" },
  { name: "faith", label: "Can bring this faith into counseling", any: "Any, or no faith", field: "faith_integration", list: "FaithTradition" },
  { name: "format", label: "Meets", any: "In person or by video", field: "formats", list: "SessionFormat" },
];

async function everyone() {
  const team = [];
  let cursor = null;
  for (let page = 0; page < MOST_PAGES; page += 1) {
    const reply = await api(`counselors?limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    if (!reply.ok) return null;
    team.push(...reply.body.items);
    cursor = reply.body.next;
    if (!cursor) break;
  }
  return team;
}

// The options a filter offers: only values someone on the team lists, in the vocabulary's order (no choice
// that could only ever show nobody on its own).
function options(lists, filter, team) {
  const listed = new Set(team.flatMap((c) => c[filter.field] || []));
  return (lists[filter.list] || []).filter((choice) => listed.has(choice.value));
}

function filterForm(lists, team, onChange) {
  const selects = FILTERS.map((filter) => {
    const id = `filter-${filter.name}`;
    const select = el("select", { id, name: filter.name },
      el("option", { value: "" }, filter.any),
      options(lists, filter, team).map((choice) => el("option", { value: choice.value }, choice.label)));
    select.addEventListener("change", onChange);
    return el("div", { class: "filter" }, el("label", { for: id }, filter.label), select);
  });
  const accepting = el("input", { type: "checkbox", id: "filter-accepting", name: "accepting" });
  accepting.addEventListener("change", onChange);
  const clearButton = el("button", { type: "reset", class: "secondary" }, "Clear filters");
  const form = el("form", { class: "directory-filters", role: "search", "aria-label": "Filter the counselors" },
    ...selects,
    el("div", { class: "choice filter-accepting" }, accepting, el("label", { for: "filter-accepting" }, "Only those accepting new clients")),
    el("div", { class: "filter-actions" }, clearButton));
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("reset", () => setTimeout(onChange));  // after the form has cleared its fields
  return form;
}

function chosen(form) {
  const wanted = FILTERS.map((f) => [f, form.elements[f.name].value]).filter(([, value]) => value);
  return { wanted, accepting: form.elements.accepting.checked };
}

function fits(counselor, { wanted, accepting }) {
  if (accepting && !counselor.accepting_new_clients) return false;
  return wanted.every(([filter, value]) => (counselor[filter.field] || []).includes(value));
}

function countText(shown, total, filtered) {
  if (!filtered) return `${total} ${total === 1 ? "counselor" : "counselors"}.`;
  if (!shown) return `No counselors match these filters, out of ${total}.`;
  return `${shown} of ${total} counselors ${shown === 1 ? "matches" : "match"} these filters.`;
}

async function start() {
  const [settings, lists] = await Promise.all([config(), vocabulary()]);
  setPracticeName(settings.practiceName);
  const wanted = decodeURIComponent(location.hash.slice(1));
  const linked = /^c-[a-z0-9]{6,32}$/.test(wanted) ? await api(`counselors/${encodeURIComponent(wanted)}`) : null;
  const team = await everyone();
  if (!team) {
    clear(app).append(el("p", { class: "notice", role: "alert" }, "We couldn't load the directory. Please try again."));
    return;
  }
  const count = el("p", { class: "result-count", id: "result-count", role: "status", "aria-live": "polite" });
  const list = el("ul", { class: "plain directory-list", "aria-label": "Counselors", "aria-describedby": "result-count" });
  const cards = team.map((counselor) => [counselor, el("li", {}, directoryCard(counselor, lists, "h2"))]);
  list.append(...cards.map(([, item]) => item));
  const form = filterForm(lists, team, () => update());
  const none = el("div", { class: "notice empty-result", hidden: true },
    el("h2", {}, "No counselor lists all of these"),
    el("p", {}, "That can happen when several filters are on at once. Try removing one, or clear them all and start again."),
    el("p", {}, el("button", { type: "button", class: "secondary", onclick: () => { form.reset(); form.querySelector("select").focus(); } }, "Clear all filters")),
    el("p", { class: "tap-links" }, "You can also ", el("a", { href: "./" }, "tell us what matters to you"),
      ": our intake team looks at much more than these filters, and will suggest who fits you best."));
  function update() {
    const choice = chosen(form);
    const filtered = choice.accepting || choice.wanted.length > 0;
    let shown = 0;
    for (const [counselor, item] of cards) {
      item.hidden = !fits(counselor, choice);
      if (!item.hidden) shown += 1;
    }
    count.textContent = countText(shown, team.length, filtered);
    none.hidden = shown > 0;
  }
  clear(app).append(form, count, none, list);
  update();
  if (linked?.ok) {
    // A link to one counselor (for example from a "you're matched" email): their whole profile first.
    const card = profileCard(linked.body, lists, "h2");
    app.prepend(el("section", { "aria-label": "The counselor in your link" }, card), el("h2", {}, "The whole team"));
    card.querySelector("h2").setAttribute("tabindex", "-1");
    card.querySelector("h2").focus();
  }
}

start().catch(() => {
  clear(app).append(el("p", { class: "notice", role: "alert" }, "The directory could not load. Please reload the page."));
});
