// The client's private status page. The reference and token come from the link's fragment, which the
// browser never sends to a server; the token goes to the API in a header, never in a URL, and leaves the
// address bar once read (privateLink).
import { api, choiceGroup, clear, config, crisisResources, el, forgetPrivateLink, labelOf, privateLink, selectField, setPracticeName, vocabulary } from "./common.js";
import { profileCard } from "./profile.js";
import { CLIENT_ZONE, bookingSection, shortlistSection, waitlistSection, when } from "./shortlist.js";

const app = document.getElementById("app");
const LINK = "status-link";

const STAGES = {
  received: ["We have your answers", "A member of our team will read them personally and suggest a counselor, usually within two working days."],
  being_reviewed: ["We're reviewing your answers", "Someone on our team is looking at your answers and the counselors who could fit you best."],
  matched: ["You're matched", "Your counselor will contact you to arrange a first session. If anything about the match doesn't feel right, tell us: you can always ask for someone else."],
  waitlisted: ["You're on our waitlist", "The counselors who fit you best are full right now. We'll contact you as soon as a place opens."],
  referred: ["We've referred you elsewhere", "We couldn't offer the right fit here, so we'll contact you with other places that can help."],
  closed: ["This intake is closed", "We're not able to offer counseling for this request. We'll contact you to explain, and to suggest other places that can help."],
  finding_someone_else: ["We're finding you someone else", "You asked for a different counselor, and our team is choosing someone new with what you asked for in mind. We usually suggest someone within two working days, and we'll email you when we do. Meanwhile you don't need to do anything, and we won't suggest the counselor you moved on from again. If something can't wait, reply to any of our emails."],
};

// Matched, but the counselor has since left the practice (the status carries no profile of them): the
// client is told so plainly, and asking for someone else stays one short form away.
const COUNSELOR_LEFT = (practice) => [
  "Your counselor is no longer available",
  `The counselor you were matched with is no longer taking sessions with ${practice || "our practice"}. We're sorry for the change. Ask for someone else below and our team will suggest a new counselor; your answers from before are kept.`,
];
const SHORTLIST_READY = ["Your shortlist is ready", "Choose a counselor and a time below to book a first conversation. Our team also reads every request, and will contact you if anything needs a person."];
const BOOKED = ["You booked a first conversation", "Your counselor will meet you at the time below. If anything about the match doesn't feel right, tell us: you can always ask for someone else."];
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
    clear(app).append(el("p", { class: "notice" }, "This page needs the private link you were given when you sent your answers."));
    return;
  }
  await render(reference, token, lists);
}

async function render(reference, token, lists, flash) {
  const reply = await api(`intakes/${encodeURIComponent(reference)}/status`, { headers: { "X-Status-Token": token } });
  if (reply.status === 410 || reply.status === 404 || reply.status === 422) forgetPrivateLink(LINK);
  if (reply.status === 410) {
    clear(app).append(el("section", { class: "notice", role: "alert" },
      el("h2", {}, "This link has expired"),
      el("p", {}, "To keep your request private, each link works for a limited time. Use the link in the most recent email from us, or contact us and we'll help.")));
    return;
  }
  if (reply.status === 404 || reply.status === 422) {
    clear(app).append(el("p", { class: "notice", role: "alert" }, "We couldn't find an intake for this link. Please check that you copied the whole link."));
    return;
  }
  if (!reply.ok) {
    clear(app).append(el("p", { class: "notice", role: "alert" }, "We couldn't check right now. Please try again in a moment."));
    return;
  }
  const booking = reply.body.booking || null;
  const shortlist = !booking && CHOOSING.has(reply.body.stage) ? await shortlistOf(reference, token) : null;
  const choosing = Boolean(shortlist?.ok && shortlist.body.open);
  const counselorLeft = reply.body.stage === "matched" && !reply.body.counselor;
  let [title, text] = counselorLeft ? COUNSELOR_LEFT(practiceName)
    : booking ? BOOKED : choosing ? SHORTLIST_READY : STAGES[reply.body.stage] || ["Received", ""];
  if (reply.body.urgent && (reply.body.stage === "received" || reply.body.stage === "being_reviewed")) {
    text = "Because of your answer about safety, a member of our team will contact you first, as soon as we can.";
  }
  const again = (message) => render(reference, token, lists, message);
  const booked = booking ? bookingSection({
    booking, lists, reference, token,
    openings: async () => ((await shortlistOf(reference, token)).body?.reschedule?.openings || []),
    done: (message, changed) => again(flashBox(changed ? "Done" : "Cancelled", changed ? `${message} It is now ${when(changed.start)}.` : message)),
  }) : null;
  const choices = choosing ? shortlistSection({
    shortlist: shortlist.body, lists, reference, token,
    done: (made) => again(flashBox("You're booked", `${made.counselor_name}, ${when(made.start)}. We've emailed you the details with a calendar invitation.`)),
  }) : null;
  const waiting = choosing ? waitlistSection({
    shortlist: shortlist.body, reference, token,
    done: (reply) => again(reply.body.stage === "matched"
      ? flashBox("The place is yours", "You took the place that was held for you: your counselor is below.")
      : flashBox("Done", reply.body.left ? "You left the waitlist." : "You're on the waitlist. We'll email you when a place opens.")),
  }) : null;
  // append() would write a left-out part (null) as the text "null"
  clear(app).append(...[
    flash,
    el("p", { class: "muted" }, "Reference ", el("strong", {}, reply.body.reference)),
    reply.body.urgent ? crisisResources("h2", { sent: true }) : null,
    el("section", { class: "card", "aria-labelledby": "stage" },
      el("h2", { id: "stage" }, title),
      el("p", {}, text),
      reply.body.stage === "finding_someone_else" && !reply.body.urgent ? el("p", {}, "If you need someone to talk to before then, call ",
        el("a", { href: "tel:988" }, "988"), " or text ", el("a", { href: "sms:988" }, "988"), " (the Suicide & Crisis Lifeline) any time; in an emergency, call ",
        el("a", { href: "tel:911" }, "911"), ".") : null,
      el("p", { class: "muted" }, "Last updated ", new Date(reply.body.updated_at).toLocaleString())),
    booked,
    waiting,
    choices,
    reply.body.counselor ? el("h2", {}, "Your counselor") : null,
    reply.body.counselor ? profileCard(reply.body.counselor, lists, "h3") : null,
    reply.body.can_request_rematch ? rematchForm(reference, token, lists, counselorLeft) : null,
  ].filter(Boolean));
  if (flash) flash.focus();
}

// The client stays in the driver's seat: asking for someone else is always one short form away, and what
// they choose to change counts (each choice is a must-have in the new match); their words are for staff.
const CHANGE_DETAILS = {
  times: (lists) => slotGrid(lists),
  faith: (lists) => selectField({ name: "tradition", label: "Which tradition?", options: lists.FaithTradition, placeholder: "The one in my answers",
    hint: "Leave this if you named it on the form." }),
  culture: (lists) => choiceGroup({ name: "backgrounds", legend: "Which backgrounds?", options: lists.CulturalBackground, id: "change-backgrounds",
    hint: "Leave these empty if you named them on the form." }),
  gender: (lists) => choiceGroup({ name: "genders", legend: "Which genders would you be comfortable with?", options: lists.Gender, id: "change-genders" }),
  style: (lists) => {
    const box = el("div", { class: "change-style", id: "change-style-detail" },
      el("p", { class: "hint" }, "Choose at least one."),
      selectField({ name: "directness", label: "How direct", options: lists.Directness.filter((c) => c.value !== "balanced"), placeholder: "No change" }),
      selectField({ name: "structure", label: "How structured", options: lists.Structure.filter((c) => c.value !== "balanced"), placeholder: "No change" }));
    for (const optional of box.querySelectorAll("label .muted")) optional.remove();  // one of the two is needed
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
    el("caption", {}, "The times that suit you now"),
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, el("span", { class: "visually-hidden" }, "Day")),
      lists.DayPart.map((part) => el("th", { scope: "col" }, part.label)))),
    el("tbody", {}, lists.Day.map((day) => el("tr", {},
      el("th", { scope: "row" }, day.label),
      lists.DayPart.map((part) => el("td", {},
        el("label", { class: "slot-cell" },
          el("input", { type: "checkbox", name: "times", value: `${day.value}.${part.value}` }),
          el("span", { class: "visually-hidden" }, `${day.label} ${part.label.toLowerCase()}`))))))));
  return el("div", { id: "change-times-grid", class: "slot-grid-box", tabindex: "-1" },
    el("p", { class: "hint" }, "Tick every time that suits you now: these replace the times you gave before."), table);
}

function rematchForm(reference, token, lists, counselorLeft = false) {
  const hintId = "change-hint";
  const choices = el("fieldset", { id: "change-choices", "aria-describedby": "change-choices-hint" },
    el("legend", {}, counselorLeft ? "What matters most for your new match?" : "What should be different?"),
    el("p", { class: "hint", id: "change-choices-hint" }, "Choose any that apply. Each one you choose counts as a must-have in your new match; if nobody fits them all, we'll suggest the closest and say what's missing."),
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
    el("h2", { id: "rematch-title", tabindex: "-1" }, counselorLeft ? "Ask for a new counselor" : "Would you like a different counselor?"),
    el("p", {}, counselorLeft
      ? "Tell us what matters to you this time, or simply that your counselor left, and we'll suggest someone else. You won't fill in anything again."
      : "If this match doesn't feel right, for any reason, tell us what you'd like to be different and we'll suggest someone else. Your answers from before are kept, so you won't fill in anything again."),
    choices,
    el("label", { for: "what-to-change" }, "Anything else our team should know?", el("span", { class: "muted" }, " (optional if you chose something above)")),
    el("p", { class: "hint", id: hintId }, counselorLeft
      ? "For example: my counselor left; the same kind of approach. Only our intake team reads this."
      : "For example: someone who gives more practical homework. Only our intake team reads this; we won't share it with your counselor."),
    el("textarea", { id: "what-to-change", name: "what_to_change", maxlength: 1000, "aria-describedby": hintId }),
    el("div", { class: "actions" }, el("button", { type: "submit" }, counselorLeft ? "Ask for a new counselor" : "Ask for a different counselor")));
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
    if (!changes.length && !body.what_to_change) { problem("changes", "Choose what should be different, or tell us in a few words."); return; }
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    const reply = await api(`intakes/${encodeURIComponent(reference)}/rematch-request`, {
      method: "POST", body, headers: { "X-Status-Token": token } });
    button.disabled = false;
    if (reply.status === 202) {
      const asked = changes.map((value) => labelOf(lists, "Change", value));
      await render(reference, token, lists, el("div", { class: "success", role: "status", tabindex: "-1" },
        el("h2", {}, "Thank you for telling us"),
        el("p", {}, asked.length
          ? `What you asked for counts as a must-have in your new match: ${asked.join("; ")}.`
          : "Our team will read what you wrote when they choose your new counselor.")));
      return;
    }
    const details = reply.body?.detail || [];
    if (details.length) {
      for (const d of details) problem(d.loc?.[d.loc.length - 1], sentence(d.msg || reply.body.message));
      return;
    }
    problem("changes", reply.body?.message || (reply.status === 0
      ? "We couldn't reach the service. What you chose is still here: please try again."
      : "That didn't work. What you chose is still here: please try again in a moment."));
  });
  return form;
}

function sentence(text) {
  const plain = String(text).replace(/^Value error, /, "");
  return plain.charAt(0).toUpperCase() + plain.slice(1) + (/[.!?]$/.test(plain) ? "" : ".");
}

start().catch(() => {
  clear(app).append(el("p", { class: "notice", role: "alert" }, "This page could not load. Please reload it."));
});
