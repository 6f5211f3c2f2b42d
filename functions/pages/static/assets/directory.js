// The public directory: the whole team's public profiles (a practice's team is small: the page reads them all,
// 100 at a time), narrowed in the page by insurance, language, faith, format and who is accepting new clients.
// The filters look only at what each counselor lists in their public profile; the intake does the matching.
import { api, clear, config, el, setPracticeName, t, tParts, vocabulary } from "./common.js";
import { directoryCard, profileCard } from "./profile.js";

const app = document.getElementById("app");
const PAGE = 100;
const MOST_PAGES = 20;  // a bound on the loop, far above any practice's team

// Each filter: which profile field it reads, and its vocabulary list. Its label is the catalog's
// filter.<name>, and what "any" says filter.<name>.any.
const FILTERS = [
  { name: "insurance", field: "insurance_panels", list: "InsuranceCarrier" },
  { name: "language", field: "languages", list: "Language" },
  { name: "faith", field: "faith_integration", list: "FaithTradition" },
  { name: "format", field: "formats", list: "SessionFormat" },
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
      el("option", { value: "" }, t(`filter.${filter.name}.any`)),
      options(lists, filter, team).map((choice) => el("option", { value: choice.value }, choice.label)));
    select.addEventListener("change", onChange);
    return el("div", { class: "filter" }, el("label", { for: id }, t(`filter.${filter.name}`)), select);
  });
  const accepting = el("input", { type: "checkbox", id: "filter-accepting", name: "accepting" });
  accepting.addEventListener("change", onChange);
  const clearButton = el("button", { type: "reset", class: "secondary" }, t("filter.clear"));
  const form = el("form", { class: "directory-filters", role: "search", "aria-label": t("filter.label") },
    ...selects,
    el("div", { class: "choice filter-accepting" }, accepting, el("label", { for: "filter-accepting" }, t("filter.accepting"))),
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
  if (!filtered) return t("directory.count", { n: total });
  if (!shown) return t("directory.count.none", { total });
  return t("directory.count.shown", { n: shown, total });
}

async function start() {
  const [settings, lists] = await Promise.all([config(), vocabulary()]);
  setPracticeName(settings.practiceName);
  const wanted = decodeURIComponent(location.hash.slice(1));
  const linked = /^c-[a-z0-9]{6,32}$/.test(wanted) ? await api(`counselors/${encodeURIComponent(wanted)}`) : null;
  const team = await everyone();
  if (!team) {
    clear(app).append(el("p", { class: "notice", role: "alert" }, t("directory.failed")));
    return;
  }
  const count = el("p", { class: "result-count", id: "result-count", role: "status", "aria-live": "polite" });
  const list = el("ul", { class: "plain directory-list", "aria-label": t("directory.list"), "aria-describedby": "result-count" });
  const cards = team.map((counselor) => [counselor, el("li", {}, directoryCard(counselor, lists, "h2"))]);
  list.append(...cards.map(([, item]) => item));
  const form = filterForm(lists, team, () => update());
  const none = el("div", { class: "notice empty-result", hidden: true },
    el("h2", {}, t("directory.empty")),
    el("p", {}, t("directory.empty.text")),
    el("p", {}, el("button", { type: "button", class: "secondary", onclick: () => { form.reset(); form.querySelector("select").focus(); } }, t("filter.clear_all"))),
    el("p", { class: "tap-links" }, tParts("directory.empty.intake", { link: el("a", { href: "./" }, t("directory.lead.link")) })));
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
    app.prepend(el("section", { "aria-label": t("directory.linked") }, card), el("h2", {}, t("directory.team")));
    card.querySelector("h2").setAttribute("tabindex", "-1");
    card.querySelector("h2").focus();
  }
}

start().catch(() => {
  clear(app).append(el("p", { class: "notice", role: "alert" }, t("directory.load_failed")));
});
