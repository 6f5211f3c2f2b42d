// The client's private status page. The reference and token come from the link's fragment, which the
// browser never sends to a server; the token goes to the API in a header, never in a URL, and leaves the
// address bar once read (privateLink).
import {
  api, choiceGroup, clear, config, crisisLinks, crisisResources, el, forgetPrivateLink, labelOf, lang, privateLink, selectField,
  setPracticeName, t, tParts, vocabulary,
} from "./common.js";
import { dateTime } from "./i18n.js";
import { profileCard } from "./profile.js";
import { CLIENT_ZONE, bookingSection, shortlistSection, waitlistSection, when } from "./shortlist.js";

const app = document.getElementById("app");
const LINK = "status-link";

// Each stage's title and text: the catalog's stage.<stage> and stage.<stage>.text.
const STAGES = new Set(["received", "being_reviewed", "matched", "waitlisted", "referred", "closed", "finding_someone_else"]);
const words = (key, params) => [t(key, params), t(`${key}.text`, params)];

// Matched, but the counselor has since left the practice (the status carries no profile of them): the
// client is told so plainly, and asking for someone else stays one short form away.
const COUNSELOR_LEFT = (practice) => words("stage.counselor_left", { practice: practice || t("stage.counselor_left.our_practice") });
const SHORTLIST_READY = () => words("stage.shortlist_ready");
const BOOKED = () => words("stage.booked");
// Where the shortlist can be open: before anyone is assigned (the API says whether it is).
const CHOOSING = new Set(["received", "being_reviewed", "waitlisted", "finding_someone_else"]);
let practiceName = "";

function shortlistOf(reference, token) {
  return api(`intakes/${encodeURIComponent(reference)}/shortlist?time_zone=${encodeURIComponent(CLIENT_ZONE)}`,
    { headers: { "X-Status-Token": token } });
}

function flashBox(title, text) {
  return el("div", { class: "success", role: "status", tabindex: "-1" }, el("h2", {}, title), el("p", {}, text));
}

async function start() {
  const [settings, lists] = await Promise.all([config(), vocabulary()]);
  practiceName = settings.practiceName;
  setPracticeName(settings.practiceName);
  const [reference, token] = privateLink(LINK).split(".");
  if (!reference || !token) {
    clear(app).append(el("p", { class: "notice" }, t("status.needs_link")));
    return;
  }
  await render(reference, token, lists);
}

async function render(reference, token, lists, flash) {
  const reply = await api(`intakes/${encodeURIComponent(reference)}/status`, { headers: { "X-Status-Token": token } });
  if (reply.status === 410 || reply.status === 404 || reply.status === 422) forgetPrivateLink(LINK);
  if (reply.status === 410) {
    clear(app).append(el("section", { class: "notice", role: "alert" },
      el("h2", {}, t("status.expired")),
      el("p", {}, t("status.expired.text"))));
    return;
  }
  if (reply.status === 404 || reply.status === 422) {
    clear(app).append(el("p", { class: "notice", role: "alert" }, t("status.not_found")));
    return;
  }
  if (!reply.ok) {
    clear(app).append(el("p", { class: "notice", role: "alert" }, t("status.failed")));
    return;
  }
  const booking = reply.body.booking || null;
  const shortlist = !booking && CHOOSING.has(reply.body.stage) ? await shortlistOf(reference, token) : null;
  const choosing = Boolean(shortlist?.ok && shortlist.body.open);
  const counselorLeft = reply.body.stage === "matched" && !reply.body.counselor;
  const stage = STAGES.has(reply.body.stage) ? reply.body.stage : "received";
  let [title, text] = counselorLeft ? COUNSELOR_LEFT(practiceName)
    : booking ? BOOKED() : choosing ? SHORTLIST_READY() : words(`stage.${stage}`);
  if (reply.body.urgent && (reply.body.stage === "received" || reply.body.stage === "being_reviewed")) {
    text = t("stage.urgent.text");
  }
  // the language the intake's stored words (reasons) are written in, which may not be this page's
  const written = reply.body.locale || "en";
  const again = (message) => render(reference, token, lists, message);
  const booked = booking ? bookingSection({
    booking, lists, reference, token,
    openings: async () => ((await shortlistOf(reference, token)).body?.reschedule?.openings || []),
    done: (message, changed) => again(flashBox(t(changed ? "flash.done" : "flash.cancelled"),
      changed ? t("flash.moved", { message, when: when(changed.start) }) : message)),
  }) : null;
  const choices = choosing ? shortlistSection({
    shortlist: shortlist.body, lists, reference, token, written: shortlist.body.locale || written,
    done: (made) => again(flashBox(t("flash.booked"), t("flash.booked.text", { name: made.counselor_name, when: when(made.start) }))),
  }) : null;
  const waiting = choosing ? waitlistSection({
    shortlist: shortlist.body, reference, token,
    done: (reply) => again(reply.body.stage === "matched"
      ? flashBox(t("flash.place_taken"), t("flash.place_taken.text"))
      : flashBox(t("flash.done"), t(reply.body.left ? "flash.left_waitlist" : "flash.joined_waitlist"))),
  }) : null;
  // append() would write a left-out part (null) as the text "null"
  clear(app).append(...[
    flash,
    el("p", { class: "muted" }, tParts("status.reference", { reference: el("strong", {}, reply.body.reference) })),
    reply.body.urgent ? crisisResources("h2", { sent: true }) : null,
    el("section", { class: "card", "aria-labelledby": "stage" },
      el("h2", { id: "stage" }, title),
      el("p", {}, text),
      reply.body.stage === "finding_someone_else" && !reply.body.urgent ? el("p", {}, tParts("stage.finding_someone_else.crisis", crisisLinks())) : null,
      el("p", { class: "muted" }, t("status.updated", { when: dateTime(reply.body.updated_at) }))),
    booked,
    waiting,
    choices,
    reply.body.counselor ? el("h2", {}, t("status.your_counselor")) : null,
    reply.body.counselor ? profileCard(reply.body.counselor, lists, "h3") : null,
    reply.body.can_request_rematch ? rematchForm(reference, token, lists, counselorLeft, written) : null,
  ].filter(Boolean));
  if (flash) flash.focus();
}

// The client stays in the driver's seat: asking for someone else is always one short form away, and what
// they choose to change counts (each choice is a must-have in the new match); their words are for staff.
const CHANGE_DETAILS = {
  times: (lists) => slotGrid(lists),
  faith: (lists) => selectField({ name: "tradition", label: t("rematch.tradition"), options: lists.FaithTradition, placeholder: t("rematch.tradition.same"),
    hint: t("rematch.tradition.hint") }),
  culture: (lists) => choiceGroup({ name: "backgrounds", legend: t("rematch.backgrounds"), options: lists.CulturalBackground, id: "change-backgrounds",
    hint: t("rematch.backgrounds.hint") }),
  gender: (lists) => choiceGroup({ name: "genders", legend: t("rematch.genders"), options: lists.Gender, id: "change-genders" }),
  style: (lists) => {
    const box = el("div", { class: "change-style", id: "change-style-detail" },
      el("p", { class: "hint" }, t("rematch.style.hint")),
      selectField({ name: "directness", label: t("rematch.directness"), options: lists.Directness.filter((c) => c.value !== "balanced"), placeholder: t("rematch.no_change") }),
      selectField({ name: "structure", label: t("rematch.structure"), options: lists.Structure.filter((c) => c.value !== "balanced"), placeholder: t("rematch.no_change") }));
    for (const optional of box.querySelectorAll("label [data-optional]")) optional.remove();  // one of the two is needed
    return box;
  },
};
const CHANGE_ORDER = ["times", "cost", "faith", "culture", "gender", "style"];
// Where the API says a problem is, and which part of the form shows it.
const PROBLEM_AT = {
  changes: "change-choices", times: "change-times-grid", tradition: "f-tradition", backgrounds: "change-backgrounds",
  genders: "change-genders", structure: "change-style-detail", directness: "change-style-detail", what_to_change: "what-to-change",
};

function slotGrid(lists) {
  const table = el("table", { class: "slot-grid" },
    el("caption", {}, t("rematch.times")),
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, el("span", { class: "visually-hidden" }, t("slots.day"))),
      lists.DayPart.map((part) => el("th", { scope: "col" }, part.label)))),
    el("tbody", {}, lists.Day.map((day) => el("tr", {},
      el("th", { scope: "row" }, day.label),
      lists.DayPart.map((part) => el("td", {},
        el("label", { class: "slot-cell" },
          el("input", { type: "checkbox", name: "times", value: `${day.value}.${part.value}` }),
          el("span", { class: "visually-hidden" }, t("slots.slot", { day: day.label, part: part.label.toLocaleLowerCase(lang) })))))))));
  return el("div", { id: "change-times-grid", class: "slot-grid-box", tabindex: "-1" },
    el("p", { class: "hint" }, t("rematch.times.hint")), table);
}

// `written`: the intake's language, which the API's messages about it are in.
function rematchForm(reference, token, lists, counselorLeft = false, written = "en") {
  const hintId = "change-hint";
  const choices = el("fieldset", { id: "change-choices", "aria-describedby": "change-choices-hint" },
    el("legend", {}, t(counselorLeft ? "rematch.legend.left" : "rematch.legend")),
    el("p", { class: "hint", id: "change-choices-hint" }, t("rematch.hint")),
    el("div", { class: "choices" }, CHANGE_ORDER.map((value) => {
      const id = `change-${value}`;
      const detail = CHANGE_DETAILS[value] ? el("div", { class: "change-detail", hidden: true }, CHANGE_DETAILS[value](lists)) : null;
      const box = el("input", { type: "checkbox", id, name: "changes", value });
      if (detail) box.addEventListener("change", () => { detail.hidden = !box.checked; });
      return el("div", { class: "choice-with-detail" },
        el("div", { class: "choice" }, box, el("label", { for: id }, labelOf(lists, "Change", value))),
        detail);
    })));
  const form = el("form", { class: "card", id: "someone-else", "aria-labelledby": "rematch-title", novalidate: true },
    el("h2", { id: "rematch-title", tabindex: "-1" }, t(counselorLeft ? "rematch.title.left" : "rematch.title")),
    el("p", {}, t(counselorLeft ? "rematch.text.left" : "rematch.text")),
    choices,
    el("label", { for: "what-to-change" }, t("rematch.more"), el("span", { class: "muted" }, t("rematch.more.optional"))),
    el("p", { class: "hint", id: hintId }, t(counselorLeft ? "rematch.more.hint.left" : "rematch.more.hint")),
    el("textarea", { id: "what-to-change", name: "what_to_change", maxlength: 1000, "aria-describedby": hintId }),
    el("div", { class: "actions" }, el("button", { type: "submit" }, t(counselorLeft ? "rematch.send.left" : "rematch.send"))));
  const clearProblems = () => {
    for (const note of form.querySelectorAll(".field-error")) note.remove();
    for (const marked of form.querySelectorAll("[aria-invalid]")) marked.removeAttribute("aria-invalid");
  };
  choices.addEventListener("change", clearProblems);  // a choice made answers "choose what should be different"
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearProblems();
    const data = new FormData(form);
    const changes = data.getAll("changes");
    const body = { changes, what_to_change: String(data.get("what_to_change") || "").trim() };
    if (changes.includes("times")) body.times = data.getAll("times").map((v) => { const [day, part] = String(v).split("."); return { day, part }; });
    if (changes.includes("gender")) body.genders = data.getAll("genders");
    if (changes.includes("faith") && data.get("tradition")) body.tradition = data.get("tradition");
    if (changes.includes("culture") && data.getAll("backgrounds").length) body.backgrounds = data.getAll("backgrounds");
    if (changes.includes("style")) {
      if (data.get("directness")) body.directness = data.get("directness");
      if (data.get("structure")) body.structure = data.get("structure");
    }
    let first = true;
    const problem = (at, text) => {
      const place = form.querySelector(`#${PROBLEM_AT[at] || "change-choices"}`) || choices;
      const note = el("p", { class: "field-error", role: "alert" }, text);
      if (place.tagName === "FIELDSET") place.querySelector("legend").after(note);
      else place.before(note);
      place.setAttribute("aria-invalid", "true");
      if (!first) return;
      first = false;  // the first problem gets the focus, and is scrolled into view on a small screen
      const control = ["INPUT", "SELECT", "TEXTAREA"].includes(place.tagName) ? place : place.querySelector("input, select, textarea") || place;
      control.focus({ preventScroll: true });
      note.scrollIntoView({ block: "center" });
    };
    if (!changes.length && !body.what_to_change) { problem("changes", t("rematch.choose")); return; }
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    const reply = await api(`intakes/${encodeURIComponent(reference)}/rematch-request`, {
      method: "POST", body, headers: { "X-Status-Token": token } });
    button.disabled = false;
    if (reply.status === 202) {
      const asked = changes.map((value) => labelOf(lists, "Change", value));
      await render(reference, token, lists, el("div", { class: "success", role: "status", tabindex: "-1" },
        el("h2", {}, t("rematch.thanks")),
        el("p", {}, asked.length ? t("rematch.thanks.asked", { asked: asked.join("; ") }) : t("rematch.thanks.words"))));
      return;
    }
    const details = reply.body?.detail || [];
    if (details.length) {
      // the API's own messages are in English: a page in another language says it in its own words
      for (const d of details) problem(d.loc?.[d.loc.length - 1], lang === "en" ? sentence(d.msg || reply.body.message) : t("errors.invalid"));
      return;
    }
    problem("changes", (lang === written && reply.body?.message) || t(reply.status === 0 ? "rematch.unreachable" : "rematch.failed"));
  });
  return form;
}

function sentence(text) {
  const plain = String(text).replace(/^Value error, /, "");
  return plain.charAt(0).toUpperCase() + plain.slice(1) + (/[.!?]$/.test(plain) ? "" : ".");
}

start().catch(() => {
  clear(app).append(el("p", { class: "notice", role: "alert" }, t("page.load_failed")));
});
