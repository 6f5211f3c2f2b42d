// The practice's console: sign in with the practice's Cognito user pool. Staff work the queue, review an
// intake beside its suggestions, assign or decide; admins also edit the roster. A counselor keeps their own
// profile, windows and capacity ("My profile") and sees their upcoming first conversations.
import { api, choiceGroup, clear, config, el, labelOf, labelsOf, setPracticeName, uniqueId, vocabulary } from "./common.js";
import { counselorForm, readCounselorForm } from "./roster-form.js";

const SESSION = "console-session";
const app = document.getElementById("app");
let settings;
let lists;

// ---------------------------------------------------------------- sign-in (Cognito, no SDK)

async function cognito(target, body) {
  const response = await fetch(settings.cognitoEndpoint, {
    method: "POST",
    headers: { "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": `AWSCognitoIdentityProviderService.${target}` },
    body: JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(data.message || "Sign-in failed");
    error.type = (data.__type || "").split("#").pop();
    throw error;
  }
  return data;
}

function claimsOf(idToken) {
  const payload = idToken.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
  return JSON.parse(decodeURIComponent(escape(atob(payload))));
}

function keep(result, username) {
  const claims = claimsOf(result.IdToken);
  const kept = {
    idToken: result.IdToken,
    refreshToken: result.RefreshToken || session()?.refreshToken,
    expiresAt: claims.exp * 1000,
    username: claims.email || claims["cognito:username"] || username,
    groups: claims["cognito:groups"] || [],
  };
  sessionStorage.setItem(SESSION, JSON.stringify(kept));
  return kept;
}

function session() {
  return JSON.parse(sessionStorage.getItem(SESSION) || "null");
}

async function token() {
  const current = session();
  if (!current) return null;
  if (Date.now() < current.expiresAt - 60_000) return current.idToken;
  try {
    const refreshed = await cognito("InitiateAuth", {
      AuthFlow: "REFRESH_TOKEN_AUTH", ClientId: settings.userPoolClientId, AuthParameters: { REFRESH_TOKEN: current.refreshToken },
    });
    return keep(refreshed.AuthenticationResult, current.username).idToken;
  } catch {
    signOut("Your session ended. Please sign in again.");
    return null;
  }
}

function signOut(message) {
  sessionStorage.removeItem(SESSION);
  renderSignIn(message);
}

async function call(path, options = {}) {
  const reply = await api(path, { ...options, token: await token() });
  if (reply.status === 401) signOut("Please sign in again.");
  return reply;
}

function renderSignIn(message, challenge) {
  renderNav();
  const errorBox = el("div", { id: "sign-in-error" });
  const formNode = el("form", { novalidate: true, "aria-labelledby": "sign-in-title" },
    el("h1", { id: "sign-in-title", tabindex: "-1" }, challenge ? "Choose a new password" : "Sign in"),
    challenge ? null : el("p", { class: "muted" }, "For the practice's staff and counselors."),
    message ? el("p", { class: "notice", role: "status" }, message) : null,
    errorBox,
    challenge
      ? [el("p", {}, "This is your first sign-in. Choose your own password (at least 12 characters, with upper and lower case letters and a number)."),
        el("label", { for: "new-password" }, "New password"),
        el("input", { id: "new-password", type: "password", autocomplete: "new-password", required: true, minlength: 12 })]
      : [el("label", { for: "username" }, "Email"),
        el("input", { id: "username", type: "email", autocomplete: "username", required: true }),
        el("label", { for: "password" }, "Password"),
        el("input", { id: "password", type: "password", autocomplete: "current-password", required: true })],
    el("div", { class: "actions" }, el("button", { type: "submit", id: "sign-in" }, challenge ? "Save and sign in" : "Sign in")));
  formNode.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = formNode.querySelector("button");
    button.disabled = true;
    clear(errorBox);
    try {
      let result;
      if (challenge) {
        result = await cognito("RespondToAuthChallenge", {
          ChallengeName: "NEW_PASSWORD_REQUIRED", ClientId: settings.userPoolClientId, Session: challenge.session,
          ChallengeResponses: { USERNAME: challenge.username, NEW_PASSWORD: document.getElementById("new-password").value },
        });
      } else {
        const username = document.getElementById("username").value.trim();
        result = await cognito("InitiateAuth", {
          AuthFlow: "USER_PASSWORD_AUTH", ClientId: settings.userPoolClientId,
          AuthParameters: { USERNAME: username, PASSWORD: document.getElementById("password").value },
        });
        if (result.ChallengeName === "NEW_PASSWORD_REQUIRED") {
          renderSignIn(null, { session: result.Session, username });
          return;
        }
      }
      keep(result.AuthenticationResult);
      route();
    } catch (error) {
      button.disabled = false;
      const text = error.type === "NotAuthorizedException" || error.type === "UserNotFoundException"
        ? "That email and password don't match an account."
        : error.type === "InvalidPasswordException" ? "That password doesn't meet the rules above." : "Sign-in failed. Please try again.";
      errorBox.append(el("p", { class: "field-error", role: "alert" }, text));
    }
  });
  clear(app).append(formNode);
  formNode.querySelector("input").focus();
}

// ---------------------------------------------------------------- layout

const isStaff = (current) => current.groups.includes("staff");
const isCounselor = (current) => current.groups.includes("counselor");

function renderNav() {
  const nav = clear(document.getElementById("nav"));
  const current = session();
  nav.append(el("a", { href: "console" }, settings.practiceName), el("span", { class: "secondary" }, "Console"));
  if (!current) return;
  if (isCounselor(current)) nav.append(el("a", { class: "secondary", href: "#me" }, "My profile"));
  if (isStaff(current)) {
    nav.append(el("a", { class: "secondary", href: "#queue" }, "Queue"),
      el("a", { class: "secondary", href: "#queue?stage=attention" }, "Needs attention"),
      el("a", { class: "secondary", href: "#report" }, "Match quality"),
      el("a", { class: "secondary", href: "#waitlist" }, "Waitlists"));
  }
  if (current.groups.includes("admin")) nav.append(el("a", { class: "secondary", href: "#roster" }, "Roster"));
  nav.append(el("span", { class: "secondary" }, current.username),
    el("button", { type: "button", class: "secondary", onclick: () => signOut("You are signed out.") }, "Sign out"));
}

function page(title, ...content) {
  clear(app).append(el("h1", { tabindex: "-1" }, title), ...content.filter(Boolean));
  app.querySelector("h1").focus();
}

function alertBox(text, kind = "notice") {
  return el("div", { class: kind === "error" ? "error-summary" : kind, role: "alert", tabindex: "-1" }, text);
}

function date(value) {
  return new Date(value).toLocaleString();
}

// A message from the API or the browser, shown as a sentence (pydantic's begin in lower case).
function sentence(text) {
  const words = String(text || "").trim();
  return words ? words[0].toUpperCase() + words.slice(1) : words;
}

// An in-page confirmation (never window.confirm): a modal dialog that says what will happen and why it
// matters; resolves true only when the person chooses `confirm`. Escape or "Go back" resolve false.
function confirmAction({ title, body, confirm, danger = false }) {
  return new Promise((resolve) => {
    const titleId = uniqueId("confirm-title");
    const bodyId = uniqueId("confirm-body");
    const back = el("button", { type: "button", class: "secondary" }, "Go back");
    const yes = el("button", { type: "button", class: danger ? "danger" : null }, confirm);
    const dialog = el("dialog", { class: "confirm", "aria-labelledby": titleId, "aria-describedby": bodyId },
      el("h2", { id: titleId }, title),
      el("div", { id: bodyId }, body),
      el("div", { class: "actions" }, back, yes));
    const opener = document.activeElement;
    const finish = (answer) => {
      dialog.close();
      dialog.remove();
      if (opener && opener.isConnected) opener.focus();
      resolve(answer);
    };
    back.addEventListener("click", () => finish(false));
    yes.addEventListener("click", () => finish(true));
    dialog.addEventListener("cancel", (event) => { event.preventDefault(); finish(false); });
    document.body.append(dialog);
    dialog.showModal();
    back.focus();
  });
}

// A profile form's words for one of its fields (its label or legend), for errors and the change history.
function fieldLabel(formNode, name) {
  const part = formNode.querySelector(`[data-field="${name}"]`);
  const text = part?.querySelector("legend, label, h2")?.firstChild?.textContent;
  return text ? text.trim() : name.replaceAll("_", " ");
}

// A 400 or 422 from a profile save: each error beside the most specific part of the form it names
// (schedule.windows before schedule), and all of them, by the form's words, in a summary at the top.
function showFieldErrors(formNode, reply) {
  const problems = reply.body?.detail || [];
  const items = [];
  for (const problem of problems) {
    const path = problem.loc.filter((p) => typeof p === "string" && p !== "body");
    const names = path.map((_, i) => path.slice(0, path.length - i).join("."));
    const found = names.find((name) => formNode.querySelector(`[data-field="${name}"]`));
    if (found) formNode.querySelector(`[data-field="${found}"]`).append(el("p", { class: "field-error" }, sentence(problem.msg)));
    items.push(el("li", {}, `${found ? fieldLabel(formNode, found) : problem.loc.slice(1).join(".")}: ${sentence(problem.msg)}`));
  }
  const summary = alertBox("", "error");
  summary.append(el("p", {}, "Not saved. Please fix what is marked below."), items.length ? el("ul", {}, items) : el("p", {}, sentence(reply.body?.message) || "Try again."));
  formNode.prepend(summary);
  summary.focus();
}

function clearErrors(formNode) {
  for (const node of formNode.querySelectorAll(".field-error, .error-summary, .reload-offer")) node.remove();
}

// ---------------------------------------------------------------- queue

const STAGES = {
  open: "Open",
  attention: "Needs attention (check-ins)",
  waitlisted: "Waitlisted",
  assigned: "Assigned",
  closed: "Closed",
};

async function renderQueue() {
  const params = new URLSearchParams(location.hash.split("?")[1] || "");
  const stage = params.get("stage") || "open";
  const status = params.get("status") || "";
  const filters = el("form", { class: "card filters", "aria-label": "Filter the queue" },
    el("label", { for: "stage" }, "Stage"),
    el("select", { id: "stage" }, Object.entries(STAGES).map(([value, text]) =>
      el("option", { value, selected: value === stage }, text))),
    el("label", { for: "status" }, "Status"),
    el("select", { id: "status" }, el("option", { value: "" }, "Any"),
      lists.IntakeStatus.map((s) => el("option", { value: s.value, selected: s.value === status }, s.label))),
    el("button", { type: "submit" }, "Show"));
  filters.addEventListener("submit", (event) => {
    event.preventDefault();
    const query = new URLSearchParams({ stage: filters.querySelector("#stage").value });
    if (filters.querySelector("#status").value) query.set("status", filters.querySelector("#status").value);
    location.hash = `queue?${query}`;
  });
  const body = el("tbody");
  const more = el("button", { type: "button", class: "secondary", hidden: true }, "Load more");
  const table = el("div", { class: "table-wrap" }, el("table", {},
    el("caption", { class: "visually-hidden" }, "Intakes, urgent first, then oldest"),
    el("thead", {}, el("tr", {}, [el("span", { class: "visually-hidden" }, "Flags"), "Reference", "Name", "Main concern", "For", "Where", "Received", "Status"].map((h) => el("th", { scope: "col" }, h)))),
    body));
  const intro = stage === "attention"
    ? "Clients whose latest check-in was low, or lower than the one before. Talk with them, then mark the check-in as followed up."
    : "Urgent intakes (a yes to the safety question) are always first.";
  page(stage === "attention" ? "Needs attention" : "Intake queue", el("p", { class: "muted" }, intro), filters, table, el("div", { class: "actions" }, more));

  async function load(cursor) {
    const query = new URLSearchParams({ stage, limit: "25" });
    if (status) query.set("status", status);
    if (cursor) query.set("cursor", cursor);
    const reply = await call(`review/intakes?${query}`);
    if (!reply.ok) { app.append(alertBox("The queue could not load. Try again.", "error")); return; }
    if (!reply.body.items.length && !cursor) body.append(el("tr", {}, el("td", { colspan: 8 }, "Nothing here.")));
    for (const item of reply.body.items) {
      body.append(el("tr", {},
        el("td", {}, item.urgent ? el("span", { class: "badge urgent" }, "Urgent") : "",
          stage === "attention" ? el("span", { class: "badge risk" }, "Bond at risk") : ""),
        el("td", {}, el("a", { href: `#${item.reference}` }, item.reference)),
        el("td", {}, item.name, item.locale && item.locale !== "en" ? el("div", { class: "muted" }, clientsLanguage(lists, item.locale)) : ""),
        el("td", {}, labelOf(lists, "Concern", item.primary_concern)),
        el("td", {}, labelOf(lists, "ServiceType", item.service_type)),
        el("td", {}, labelOf(lists, "Jurisdiction", item.jurisdiction)),
        el("td", {}, date(item.created_at)),
        el("td", {}, labelOf(lists, "IntakeStatus", item.status), item.no_match ? el("div", { class: "muted" }, labelOf(lists, "NoMatchReason", item.no_match)) : "")));
    }
    more.hidden = !reply.body.next;
    more.onclick = () => load(reply.body.next);
  }
  await load(null);
}

// The language the client's pages, emails and reasons are in (the console itself stays in English).
function clientsLanguage(lists, locale) {
  return `Client's language: ${labelOf(lists, "Language", locale)}`;
}

// ---------------------------------------------------------------- one intake

const SECTIONS = [
  ["Contact", "contact", { name: null, preferred_name: null, email: null, phone: null, preferred_contact: "ContactMethod" }],
  ["Who and where", "client", { service_type: "ServiceType", age: null, age_band: "AgeBand", jurisdiction: "Jurisdiction" }],
  ["How and when", "format", { format: "FormatPreference", postal_code: null, travel_radius_miles: null, availability: "slots", availability_importance: "Importance" }],
  ["Cost", "payment", { method: "PaymentMethod", insurance_carrier: "InsuranceCarrier", max_fee_per_session: null, needs_sliding_scale: null, importance: "Importance" }],
  ["Languages", "languages", { languages: "Language", importance: "Importance" }],
  ["What brings them", "concerns", { concerns: "Concern", primary: "Concern", details: null }],
  ["Values", "values", { values: "Value", importance: "Importance" }],
  ["Culture", "culture", { backgrounds: "CulturalBackground", self_description: null, prefer_not_to_say: null, counselor_preference: "CulturePreference", importance: "Importance" }],
  ["Faith", "faith", { tradition: "FaithTradition", role: "FaithRole", importance: "Importance" }],
  ["Counselor gender", "counselor_gender", { preferred: "Gender", importance: "Importance" }],
  ["LGBTQ+", "identity", { lgbtq: "SexualityAnswer", wants_affirming: null, importance: "Importance" }],
  ["Approach", "approach", { preferred: "Approach", importance: "Importance" }],
  ["Style", "style", { directness: "Directness", structure: "Structure", importance: "Importance" }],
  ["In their words", "reflections", { past_counseling: null, what_matters_most: null }],
];

function display(value, listName) {
  if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) return null;
  if (listName === "slots") return value.map((s) => `${labelOf(lists, "Day", s.day)} ${labelOf(lists, "DayPart", s.part).toLowerCase()}`).join(", ");
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (Array.isArray(value)) return listName ? labelsOf(lists, listName, value).join(", ") : value.join(", ");
  if (listName && !["no_preference", "none", "prefer_not_to_say"].includes(value)) return labelOf(lists, listName, value);
  if (value === "no_preference") return "No preference";
  if (value === "prefer_not_to_say") return "Prefer not to say";
  return String(value);
}

// The section of the answers each importance belongs to, as the API's `unrated` names it.
const IMPORTANCE_FIELD = { format: "availability_importance" };

function answersView(answers, unrated = []) {
  const out = [el("section", { class: answers.safety === "yes" ? "crisis" : "card" },
    el("h3", {}, "Safety question"),
    el("p", {}, "Current thoughts of harming themself or someone else: ", el("strong", {}, labelOf(lists, "SafetyAnswer", answers.safety))),
    answers.safety === "yes" ? el("p", {}, "Follow the practice's crisis protocol: contact the client today; 988 and 911 were shown to them.") : null)];
  for (const [title, key, fields] of SECTIONS) {
    const rows = [];
    for (const [name, listName] of Object.entries(fields)) {
      let shown = display(answers[key]?.[name], listName);
      // an importance the client left alone: matching used the form's default, and the page says so (a
      // default of "doesn't matter" leaves the factor out of matching: nothing to say)
      if (shown !== null && listName === "Importance" && name === (IMPORTANCE_FIELD[key] || "importance") && unrated.includes(key)) {
        shown = answers[key][name] === "doesnt_matter" ? null : `${shown} (the form's default: the client did not rate it)`;
      }
      if (shown !== null) rows.push(el("dt", {}, name.replaceAll("_", " ")), el("dd", {}, shown));
    }
    if (rows.length) out.push(el("section", { class: "card" }, el("h3", {}, title), el("dl", { class: "answers" }, rows)));
  }
  return out;
}

// A reason's mark: a symbol for the eye and the words for everyone (never colour alone).
const FIT = {
  met: ["Met", "mark-met", "✓"], partly_met: ["Partly met", "mark-partly", "◐"], not_met: ["Not met", "mark-not", "✗"],
  not_judged: ["No evidence yet", "mark-none", "–"],
};

function reasonList(s) {
  if (!s.explained) return el("ul", {}, s.reasons.map((r) => el("li", {}, r)));
  return el("ul", { class: "reasons" }, s.explained.map((r) => {
    const [words, cls, symbol] = FIT[r.fit];
    return el("li", { class: `reason ${r.fit}` },
      el("span", { class: `mark ${cls}`, "aria-hidden": "true" }, symbol),
      el("span", { class: "fit-words" }, `${words}${r.must_have && r.fit !== "met" ? " (must-have)" : ""}:`), " ", r.text);
  }));
}

// A stored suggestion's open slots are those of when matching ran: the page says how many there are now.
function slotsText(intake, s, current) {
  const now = current ? { [s.counselor_id]: s.open_slots } : intake.fits?.open_slots;
  if (!now) return `${s.open_slots} open slot${s.open_slots === 1 ? "" : "s"} when matched`;
  const slots = now[s.counselor_id];
  if (slots === undefined) return "No longer on the roster";
  return slots === 0 ? "No open slot now" : `${slots} open slot${slots === 1 ? "" : "s"} now`;
}

// The answer section each factor's importance comes from (the API's `unrated` names sections).
const FACTOR_SECTION = {
  availability: "format", payment: "payment", language: "languages", values: "values", culture: "culture", faith: "faith",
  gender: "counselor_gender", lgbtq_affirming: "identity", approach: "approach", style: "style",
};

function ratingText(intake, f) {
  if (!f.importance) return "Practice weight";
  const words = labelOf(lists, "Importance", f.importance);
  return (intake.unrated || []).includes(FACTOR_SECTION[f.factor]) ? `${words} (default: not rated by the client)` : words;
}

function suggestionCard(intake, s, { prefix = "s", assignable = true, current = false } = {}) {
  const id = `${prefix}-${s.counselor_id}`;
  return el("article", { class: "card suggestion", "aria-labelledby": id },
    el("h3", { id }, s.name, " ", el("span", { class: "score" }, `${s.score}`), el("span", { class: "muted" }, "/100")),
    el("p", { class: "muted" }, `${slotsText(intake, s, current)} · ${s.counselor_id}`),
    s.unmet_must_haves.length ? el("p", {}, el("span", { class: "badge relaxed" }, "Relaxed"), " Misses must-have: ",
      labelsOf(lists, "FactorName", s.unmet_must_haves).join(", ")) : null,
    reasonList(s),
    el("details", {}, el("summary", {}, "Score breakdown"),
      el("div", { class: "table-wrap stack breakdown" }, el("table", {},
        el("caption", { class: "visually-hidden" }, `Points by factor for ${s.name}`),
        el("thead", {}, el("tr", {}, ["Factor", "Client's rating", "Met", "Points"].map((h) => el("th", { scope: "col" }, h)))),
        el("tbody", {}, s.breakdown.map((f) => el("tr", {},
          el("th", { scope: "row" }, labelOf(lists, "FactorName", f.factor)),
          el("td", { "data-label": "Client's rating" }, ratingText(intake, f)),
          el("td", { "data-label": "Met" }, `${Math.round(f.level * 100)}%`, f.must_have_met === false ? " (must-have not met)" : ""),
          el("td", { "data-label": "Points" }, String(f.points)))))))),
    assignable && canAssign(intake) ? el("div", { class: "actions" },
      el("button", { type: "button", onclick: () => assign(intake, s.counselor_id, "") }, `Assign ${s.name}`)) : null);
}

// Everyone who fits now (the API's fits=all), behind one button: the same cards, without an Assign button
// (someone who was not suggested is assigned below, with a reason).
function fitsPanel(intake) {
  const fits = intake.fits;
  if (!fits || !fits.eligible) return null;
  const listId = "all-fits";
  const list = el("div", { id: listId, hidden: true },
    el("h2", { tabindex: "-1" }, `Everyone who fits now: ${fits.eligible}`),
    el("p", { class: "muted" }, `${fits.meeting_every_must_have} of them meet every must-have and come first; the others are ranked after them, each naming the must-haves they miss.`,
      fits.items.length < fits.eligible ? ` Showing the best ${fits.items.length}.` : "",
      " To assign someone who was not suggested, use \"Assign someone who was not suggested\" below, with a reason."),
    ...fits.items.map((s) => suggestionCard(intake, s, { prefix: "f", assignable: false, current: true })));
  const toggle = el("button", { type: "button", class: "secondary", "aria-expanded": "false", "aria-controls": listId },
    `Show all ${fits.eligible} who fit`);
  toggle.addEventListener("click", () => {
    const opening = list.hidden;
    list.hidden = !opening;
    toggle.setAttribute("aria-expanded", String(opening));
    toggle.textContent = opening ? `Hide the ${fits.eligible} who fit` : `Show all ${fits.eligible} who fit`;
    if (opening) list.querySelector("h2").focus();
  });
  return el("section", { class: "fits", "aria-label": "Everyone who fits" }, el("div", { class: "actions" }, toggle), list);
}

function canAssign(intake) {
  return ["new", "in_review", "needs_rematch", "waitlisted"].includes(intake.status);
}

async function renderIntake(reference, flash) {
  const reply = await call(`review/intakes/${encodeURIComponent(reference)}?fits=all`);
  if (reply.status === 404 || reply.status === 422) { page("Intake not found", el("p", {}, el("a", { href: "#queue" }, "Back to the queue"))); return; }
  if (!reply.ok) { page("Intake", alertBox("This intake could not load. Try again.", "error")); return; }
  const intake = reply.body;
  const match = intake.match;
  const right = [];
  if (!match) right.push(alertBox("Matching has not run for this intake yet. Run it now.", "notice"));
  else {
    // what the client chose to change when asking for someone else: each a must-have of this run
    if (match.asked_for?.length) {
      const asked = [...intake.history].reverse().find((h) => h.kind === "rematch_requested");
      right.push(el("p", { class: "notice" }, "Matched again after the client asked for: ", labelsOf(lists, "Change", match.asked_for).join("; "),
        ". Each counts as a must-have here.", asked?.note ? ` In their words: "${asked.note}"` : ""));
    }
    if (match.no_match) right.push(el("div", { class: "notice" }, el("h3", {}, "No counselor fits"), el("p", {}, match.no_match.detail), el("p", {}, el("strong", {}, "Next step: "), match.no_match.next_step)));
    if (match.suggestions.length) right.push(el("h2", {}, "Suggestions"), ...match.suggestions.map((s) => suggestionCard(intake, s)));
    if (match.alternatives.length) {
      right.push(el("h2", {}, "Closest alternatives"),
        el("p", {}, `Fewer than three counselors meet every must-have. To find these we relaxed: ${labelsOf(lists, "FactorName", match.relaxed).join(", ")}.`),
        ...match.alternatives.map((s) => suggestionCard(intake, s)));
    }
    right.push(el("p", { class: "muted" }, `Matched ${date(match.matched_at)} against ${match.roster_size} active counselors (${match.eligible} eligible).`));
  }
  const everyone = fitsPanel(intake);
  if (everyone) right.push(everyone);
  const shortlist = shortlistPanel(intake);
  if (shortlist) right.push(shortlist);
  right.push(await actionsPanel(intake));
  if (intake.status === "assigned" || intake.check_ins.length || intake.excluded_counselor_ids.length) right.push(afterMatchPanel(intake));
  page(`Intake ${intake.reference}`,
    flash || null,
    el("p", {}, intake.urgent ? el("span", { class: "badge urgent" }, "Urgent") : null, " ",
      `Status: ${labelOf(lists, "IntakeStatus", intake.status)} · received ${date(intake.created_at)} · ${clientsLanguage(lists, intake.locale || "en")}`,
      intake.assigned_counselor_id ? ` · assigned to ${nameOf(intake, intake.assigned_counselor_id)}` : ""),
    el("div", { class: "columns" },
      el("section", { "aria-label": "The client's answers" }, el("h2", {}, "Answers"), ...answersView(intake.answers, intake.unrated)),
      el("section", { "aria-label": "Suggestions and actions" }, ...right)),
    el("section", { class: "card" }, el("h2", {}, "History"),
      el("ol", { class: "history" }, intake.history.map((h) => el("li", {}, historyLine(intake, h))))),
    el("p", {}, el("a", { href: "#queue" }, "Back to the queue")));
}

function nameOf(intake, counselorId) {
  return intake.counselor_names?.[counselorId] || counselorId;
}

// "Opened by staff@...", "Decision recorded: Waitlisted, by ...", "Assigned: Maya Okafor, by ...".
function historyLine(intake, h) {
  let what = labelOf(lists, "HistoryKind", h.kind);
  if (h.kind === "decided") what += `: ${labelOf(lists, "IntakeStatus", h.status)}`;
  if (h.counselor_id) what += `${h.kind === "decided" ? "," : ":"} ${nameOf(intake, h.counselor_id)}`;
  const who = h.actor ? `${h.counselor_id || h.kind === "decided" ? "," : ""} by ${h.actor}` : "";
  const asked = h.asked_for?.length ? ` - asked for: ${labelsOf(lists, "Change", h.asked_for).join("; ")}` : "";
  return `${date(h.at)}: ${what}${who}${asked}${h.note ? ` - "${h.note}"` : ""}`;
}

// Policy staff-approved: staff release the shortlist to the client with one action (never for an urgent intake).
function shortlistPanel(intake) {
  if (!intake.shortlist_releasable && !intake.shortlist_released_at) return null;
  const panel = el("section", { class: "card", "aria-labelledby": "shortlist-title" }, el("h2", { id: "shortlist-title" }, "The client's shortlist"));
  if (intake.shortlist_released_at) {
    panel.append(el("p", {}, `Released to the client ${date(intake.shortlist_released_at)}. They can book a first conversation from their status page.`));
    return panel;
  }
  panel.append(el("p", {}, "When you are happy with the suggestions, release them: the client sees them on their status page, with their cost and openings, and can book a first conversation. They are emailed a link."),
    el("div", { class: "actions" }, el("button", { type: "button", onclick: async (event) => {
      event.currentTarget.disabled = true;
      const reply = await call(`review/intakes/${intake.reference}/shortlist-release`, { method: "POST" });
      renderIntake(intake.reference, reply.ok ? alertBox("Shortlist released. The client has been emailed a link to it.", "success") : alertBox(sentence(reply.body?.message) || "That didn't work. Try again.", "error"));
    } }, "Release the shortlist to the client")));
  return panel;
}

async function actionsPanel(intake) {
  const panel = el("section", { class: "card", "aria-labelledby": "actions-title" }, el("h2", { id: "actions-title" }, "Decide"));
  if (!canAssign(intake)) {
    panel.append(el("p", {}, intake.status === "assigned"
      ? "Assigned. Record sessions and follow the client's check-ins under \"After the match\"."
      : "This intake is closed."));
    return panel;
  }
  const decision = el("form", { "aria-label": "Record a decision" },
    choiceGroup({ name: "decision", legend: "Instead of assigning", type: "radio", options: lists.Decision, id: "decision" }),
    el("label", { for: "decision-note" }, "Note for the team ", el("span", { class: "muted" }, "(optional)")),
    el("textarea", { id: "decision-note", maxlength: 2000 }),
    el("div", { class: "actions" }, el("button", { type: "submit" }, "Record decision")));
  decision.addEventListener("submit", async (event) => {
    event.preventDefault();
    for (const old of decision.querySelectorAll(".error-summary")) old.remove();
    const chosen = decision.querySelector('[name="decision"]:checked');
    if (!chosen) { decision.prepend(alertBox("Choose a decision first.", "error")); return; }
    if (!(await decisionConfirmed(intake, chosen.value))) return;
    const reply = await call(`review/intakes/${intake.reference}/decision`, { method: "POST", body: { decision: chosen.value, note: decision.querySelector("#decision-note").value } });
    renderIntake(intake.reference, reply.ok ? alertBox(DECIDED[chosen.value], "success") : alertBox(sentence(reply.body?.message) || "That didn't work. Try again.", "error"));
  });
  const directory = await call("counselors?limit=100");
  const override = el("form", { "aria-label": "Assign another counselor" },
    el("h3", {}, "Assign someone who was not suggested"),
    el("label", { for: "override-counselor" }, "Counselor"),
    el("select", { id: "override-counselor" }, el("option", { value: "" }, "Choose..."),
      (directory.body?.items || []).map((c) => el("option", { value: c.counselor_id }, `${c.name} (${c.counselor_id})`))),
    el("label", { for: "override-reason" }, "Why this counselor?"),
    el("p", { class: "hint", id: "override-hint" }, "Required: at least 10 characters, kept in the intake's history."),
    el("textarea", { id: "override-reason", maxlength: 1000, "aria-describedby": "override-hint" }),
    el("div", { class: "actions" }, el("button", { type: "submit" }, "Assign")));
  override.addEventListener("submit", (event) => {
    event.preventDefault();
    assign(intake, override.querySelector("#override-counselor").value, override.querySelector("#override-reason").value);
  });
  panel.append(decision, override,
    el("div", { class: "actions" }, el("button", { type: "button", class: "secondary", onclick: () => rematch(intake) }, "Re-run matching")));
  return panel;
}

const DECIDED = {
  waitlist: "Decision recorded: waitlisted. The client has been emailed what this means and what happens next.",
  refer_out: "Decision recorded: referred out. The client has been emailed what this means and what happens next.",
  decline: "Decision recorded: declined. The client has been emailed what this means.",
};

// Declining always asks first; so does waitlisting a client who said they may be at risk.
async function decisionConfirmed(intake, decision) {
  const risky = intake.urgent && (decision === "waitlist" || decision === "decline");
  if (!risky && decision !== "decline") return true;
  const body = [];
  if (intake.urgent) {
    body.push(el("p", { class: "crisis", role: "alert" }, el("strong", {}, "This client said they may be at risk of harming themself or someone else. "),
      "Follow the practice's crisis protocol first: contact the client today, whatever you decide here."));
  }
  body.push(el("p", {}, decision === "decline"
    ? "Declining closes this intake: it cannot be assigned afterwards, and the client is emailed that the practice cannot take them on."
    : "Waitlisting means no counselor is assigned now; the client is emailed that they are on the waitlist."));
  return confirmAction({
    title: decision === "decline" ? "Decline this intake?" : "Waitlist this intake?",
    body,
    confirm: decision === "decline" ? "Yes, decline" : "Yes, waitlist",
    danger: true,
  });
}

async function assign(intake, counselorId, reason) {
  if (!counselorId) { app.prepend(alertBox("Choose a counselor first.", "error")); return; }
  const reply = await call(`review/intakes/${intake.reference}/assignment`, { method: "POST", body: { counselor_id: counselorId, reason } });
  if (reply.ok) { renderIntake(intake.reference, alertBox("Assigned. The client's status page now shows their counselor.", "success")); return; }
  let text = sentence(reply.body?.message) || "That didn't work. Try again.";
  if (reply.body?.code === "slot_taken") text = "This slot was just taken: that counselor has no open slot now. Choose another counselor, or re-run matching to see who is free.";
  if (reply.body?.code === "already_decided" || reply.body?.code === "transition_not_allowed") text = "Someone else just assigned or closed this intake. Showing its current state.";
  renderIntake(intake.reference, alertBox(text, "error"));
}

async function rematch(intake) {
  const reply = await call(`review/intakes/${intake.reference}/rematch`, { method: "POST" });
  renderIntake(intake.reference, reply.ok ? alertBox("Matching ran again on the current roster.", "success") : alertBox(sentence(reply.body?.message) || "That didn't work.", "error"));
}

// ---------------------------------------------------------------- after the match

const ITEMS = ["trust", "understood", "respected", "agenda", "overall", "identity"];
const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attributes = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

// The bond over time: the overall item and the mean of the four pillars at each check-in.
function trendChart(checkIns) {
  const answered = checkIns.filter((c) => c.answers);
  if (!answered.length) return null;
  const width = 360;
  const height = 180;
  const left = 36;
  const top = 12;
  const plotWidth = width - left - 16;
  const plotHeight = height - top - 36;
  const x = (i) => left + (answered.length === 1 ? plotWidth / 2 : (i * plotWidth) / (answered.length - 1));
  const y = (score) => top + plotHeight - (score * plotHeight) / 10;
  const pillars = (a) => (a.trust + a.understood + a.respected + a.agenda) / 4;
  const summary = answered.map((c) => `check-in ${c.number}: overall ${c.answers.overall}, pillars ${pillars(c.answers).toFixed(1)}`).join("; ");
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": `Bond over time: ${summary}` });
  chart.append(svg("title", {}, "Bond over time"));
  for (const score of [0, 5, 10]) {
    chart.append(svg("line", { x1: left, x2: width - 16, y1: y(score), y2: y(score), stroke: "#c9d1dc" }),
      svg("text", { x: left - 8, y: y(score) + 4, "text-anchor": "end", "font-size": 12, fill: "#4a5566" }, score));
  }
  const series = [["overall", (a) => a.overall, "#1f5f8b", ""], ["pillars", pillars, "#b34700", "6 4"]];
  for (const [, value, color, dash] of series) {
    chart.append(svg("polyline", { points: answered.map((c, i) => `${x(i)},${y(value(c.answers))}`).join(" "), fill: "none", stroke: color, "stroke-width": 3, "stroke-dasharray": dash }));
    answered.forEach((c, i) => chart.append(svg("circle", { cx: x(i), cy: y(value(c.answers)), r: 4, fill: color })));
  }
  answered.forEach((c, i) => chart.append(svg("text", { x: x(i), y: height - 12, "text-anchor": "middle", "font-size": 12, fill: "#1d2430" }, `#${c.number}`)));
  return el("figure", { class: "chart trend" }, chart,
    el("figcaption", {}, "Solid: the overall item. Dashed: the mean of trust, feeling understood, respect and talking about what matters (0-10)."));
}

function checkInTable(checkIns) {
  const rows = [];
  for (const c of checkIns) {
    const a = c.answers;
    rows.push(el("tr", {},
      el("th", { scope: "row" }, `#${c.number}`),
      el("td", {}, c.after_days ? `${c.after_days} days after the match` : `after session ${c.after_session}`),
      el("td", {}, a ? date(c.submitted_at) : `not yet (link until ${date(c.expires_at)})`),
      ...ITEMS.map((item) => el("td", {}, a ? (a[item] === null ? "n/a" : String(a[item])) : "")),
      el("td", {}, c.risk.map((r) => el("span", { class: "badge risk" }, labelOf(lists, "RiskReason", r))))));
  }
  const words = checkIns.filter((c) => c.answers?.not_working);
  return [
    el("div", { class: "table-wrap", tabindex: 0, role: "region", "aria-label": "Check-ins, oldest first" }, el("table", {},
      el("caption", { class: "visually-hidden" }, "Check-ins, oldest first"),
      el("thead", {}, el("tr", {}, ["Check-in", "When", "Answered", ...ITEMS.map((i) => i[0].toUpperCase() + i.slice(1)), "Warning"]
        .map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, rows))),
    words.length ? el("h4", {}, "What isn't working, in the client's words") : null,
    ...words.map((c) => el("blockquote", { class: "client-words" },
      el("span", { class: "muted" }, `Check-in #${c.number}: `), c.answers.not_working)),
  ];
}

function afterMatchPanel(intake) {
  const panel = el("section", { class: "card", "aria-labelledby": "after-title" }, el("h2", { id: "after-title" }, "After the match"));
  if (intake.excluded_counselor_ids.length) {
    panel.append(el("p", {}, "The client asked to move on from ", intake.excluded_counselor_ids.map((id) => nameOf(intake, id)).join(", "),
      ". They are not suggested to this client again."));
  }
  if (intake.status === "assigned") {
    panel.append(el("p", {}, `Sessions held: ${intake.sessions_held}. The client gets a check-in after the sessions the practice chose.`),
      el("div", { class: "actions" }, el("button", { type: "button", class: "secondary", onclick: () => recordSession(intake) }, "Record a session held")));
  }
  if (intake.bond_at_risk) {
    const form = el("form", { class: "notice", "aria-labelledby": "risk-title" },
      el("h3", { id: "risk-title" }, "The bond may be at risk"),
      el("p", {}, "The latest check-in was low, or lower than the one before. Talk with the client (and, if they wish, the counselor), then record what you did."),
      el("label", { for: "bond-note" }, "What was done ", el("span", { class: "muted" }, "(for the team)")),
      el("textarea", { id: "bond-note", maxlength: 2000 }),
      el("div", { class: "actions" }, el("button", { type: "submit" }, "Mark as followed up")));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const reply = await call(`review/intakes/${intake.reference}/bond-review`, { method: "POST", body: { note: form.querySelector("#bond-note").value } });
      renderIntake(intake.reference, reply.ok ? alertBox("Marked as followed up.", "success") : alertBox(sentence(reply.body?.message) || "That didn't work. Try again.", "error"));
    });
    panel.append(form);
  }
  if (intake.check_ins.length) {
    // (DOM append writes a null as the text "null": only nodes go in)
    panel.append(...[el("h3", {}, "Check-ins"), trendChart(intake.check_ins), ...checkInTable(intake.check_ins),
      el("p", { class: "muted" }, "The client's words are for staff only: they are never shown on the client's pages or in reports.")].filter(Boolean));
  }
  return panel;
}

async function recordSession(intake) {
  const reply = await call(`review/intakes/${intake.reference}/sessions`, { method: "POST" });
  if (!reply.ok) { renderIntake(intake.reference, alertBox(sentence(reply.body?.message) || "That didn't work. Try again.", "error")); return; }
  const sent = reply.body.check_in_sent ? " A check-in was emailed to the client." : "";
  renderIntake(intake.reference, alertBox(`Session ${reply.body.sessions_held} recorded.${sent}`, "success"));
}

// ---------------------------------------------------------------- match quality

// Horizontal bars; a value hidden below the privacy minimum is drawn as an empty outline and says so.
function barChart(title, rows, max, format, minimum) {
  const width = 640;
  const labelWidth = 170;
  const barArea = width - labelWidth - 90;
  const rowHeight = 30;
  const height = rows.length * rowHeight + 8;
  const description = rows.map((r) => `${r.label}: ${r.value === null ? `fewer than ${minimum}` : format(r.value)}`).join("; ");
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": `${title}. ${description}` });
  chart.append(svg("title", {}, title));
  rows.forEach((r, i) => {
    const yTop = 4 + i * rowHeight;
    chart.append(svg("text", { x: labelWidth - 8, y: yTop + 19, "text-anchor": "end", "font-size": 13, fill: "#1d2430" }, r.label));
    if (r.value === null) {
      chart.append(svg("rect", { x: labelWidth, y: yTop + 4, width: barArea, height: rowHeight - 10, fill: "none", stroke: "#c9d1dc", "stroke-dasharray": "4 3" }),
        svg("text", { x: labelWidth + 8, y: yTop + 19, "font-size": 12, fill: "#4a5566" }, `fewer than ${minimum}: not shown`));
      return;
    }
    const barWidth = max ? Math.max(2, (r.value * barArea) / max) : 2;
    chart.append(svg("rect", { x: labelWidth, y: yTop + 4, width: barWidth, height: rowHeight - 10, fill: "#1f5f8b" }),
      svg("text", { x: labelWidth + barWidth + 6, y: yTop + 19, "font-size": 13, fill: "#1d2430" }, format(r.value)));
  });
  return el("figure", { class: "chart" }, chart);
}

function cell(value, minimum, format = String) {
  return value === null ? `fewer than ${minimum}` : format(value);
}

async function renderReport() {
  const reply = await call("review/report");
  if (!reply.ok) { page("Match quality", alertBox("The report could not load. Try again.", "error")); return; }
  const r = reply.body;
  const m = r.minimum;
  const shownBands = r.by_score_band.filter((b) => b.check_ins !== 0);
  const bandRows = shownBands.map((b) => ({ label: b.label, value: b.overall }));
  const waits = r.time_to_assignment.map((w) => ({ label: w.label, value: w.count }));
  const maxWait = Math.max(1, ...waits.map((w) => w.value || 0));
  page("Match quality",
    el("p", { class: "lead" }, "Is matching leading to strong bonds? Everything here is aggregated, and nothing that rests on fewer than ",
      String(m), " clients is shown."),
    el("h2", {}, "Bond at check-ins, by match score"),
    bandRows.length ? barChart("Mean overall check-in score (0-10) by the match score of the assignment", bandRows, 10, (v) => v.toFixed(1), m)
      : el("p", {}, "No check-ins yet."),
    el("div", { class: "table-wrap" }, el("table", {},
      el("caption", { class: "visually-hidden" }, "Bond at check-ins by match score band"),
      el("thead", {}, el("tr", {}, ["Match score", "Check-ins", "Overall (0-10)", "Pillars (0-10)"].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, r.by_score_band.map((b) => el("tr", {},
        el("th", { scope: "row" }, b.label), el("td", {}, cell(b.check_ins, m)),
        el("td", {}, b.overall === null ? "-" : b.overall.toFixed(1)), el("td", {}, b.pillars === null ? "-" : b.pillars.toFixed(1))))))),
    el("h2", {}, "Bond at check-ins, by factor"),
    r.by_factor.length ? el("div", { class: "table-wrap" }, el("table", {},
      el("caption", { class: "visually-hidden" }, "Mean overall check-in score by how fully each factor was met"),
      el("thead", {}, el("tr", {}, ["Factor", "Fully met", "Partly met", "Not met"].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, r.by_factor.map((f) => el("tr", {}, el("th", { scope: "row" }, f.label),
        ...[f.fully_met, f.partly_met, f.not_met].map((c) => el("td", {},
          c.overall === null ? cell(c.check_ins, m, (n) => `${n} check-ins`) : `${c.overall.toFixed(1)} (${c.check_ins} check-ins)`))))))) : el("p", {}, "No check-ins yet."),
    el("h2", {}, "Rematches"),
    el("p", {}, `Clients matched with a counselor: ${cell(r.assignments, m)}. Requests for a different counselor: ${cell(r.rematch_requests, m)}.`,
      r.rematch_rate === null ? "" : ` Rematch rate: ${(r.rematch_rate * 100).toFixed(1)}%.`),
    el("h2", {}, "Time from intake to assignment"),
    barChart("Clients by how long they waited for their first match", waits, maxWait, (v) => String(v), m),
    el("p", {}, r.median_time_to_assignment ? `Half of the clients were assigned within: ${r.median_time_to_assignment.toLowerCase()}.` : `Shown once ${m} clients have been matched.`),
    el("h2", {}, "When nobody fitted"),
    el("p", {}, "At submission, and when a client asked for someone else."),
    el("div", { class: "table-wrap" }, el("table", {},
      el("caption", { class: "visually-hidden" }, "Matching with no suggestion, by reason"),
      el("thead", {}, el("tr", {}, ["Reason", "Times"].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, r.no_match.map((n) => el("tr", {}, el("th", { scope: "row" }, n.label), el("td", {}, cell(n.count, m))))))));
}

// ---------------------------------------------------------------- roster (admins)

async function renderRoster(flash) {
  const reply = await call("admin/counselors?limit=100");
  if (reply.status === 403) { page("Roster", alertBox("Only admins can edit the roster.", "error")); return; }
  if (!reply.ok) { page("Roster", alertBox("The roster could not load.", "error")); return; }
  const rows = reply.body.items.map((c) => {
    const slots = el("input", { type: "number", min: 0, max: 200, value: c.open_slots, class: "short", id: `slots-${c.counselor_id}`, "aria-label": `Open slots for ${c.name}` });
    const accepting = el("input", { type: "checkbox", id: `accepting-${c.counselor_id}`, checked: c.accepting_new_clients, "aria-label": `${c.name} accepting new clients` });
    const active = el("input", { type: "checkbox", id: `active-${c.counselor_id}`, checked: c.active, "aria-label": `${c.name} active` });
    // A save updates its own row in place: the page keeps its scroll position and focus stays on the row.
    const message = el("div", { class: "row-message" });
    const save = el("button", { type: "button", class: "secondary", "aria-label": `Save ${c.name}` }, "Save");
    // What the row showed before the admin's edit: a save over a change made meanwhile (an assignment took a
    // slot, another admin saved) would silently undo it, so the row is refreshed and the admin saves again.
    let shown = { open_slots: c.open_slots, accepting_new_clients: c.accepting_new_clients, active: c.active };
    const show = (now) => {
      shown = { open_slots: now.open_slots, accepting_new_clients: now.accepting_new_clients, active: now.active };
      slots.value = now.open_slots;
      accepting.checked = now.accepting_new_clients;
      active.checked = now.active;
    };
    save.addEventListener("click", async () => {
      save.disabled = true;
      clear(message);
      const current = await call(`admin/counselors/${c.counselor_id}`);
      let box;
      if (!current.ok) box = alertBox("That counselor could not load. Try again.", "error");
      else if (Object.keys(shown).some((k) => current.body[k] !== shown[k])) {
        show(current.body);
        box = alertBox(`${c.name} changed meanwhile (now ${current.body.open_slots} open slots). The row shows it now: make your change again and save.`, "error");
      } else {
        const patch = await call(`admin/counselors/${c.counselor_id}`, { method: "PATCH", body: {
          version: current.body.version, open_slots: Number(slots.value), accepting_new_clients: accepting.checked, active: active.checked } });
        if (patch.ok) show(patch.body);
        box = patch.ok ? alertBox(`Saved ${c.name}.`, "success") : alertBox(sentence(patch.body?.message) || "Not saved. Try again.", "error");
      }
      box.removeAttribute("tabindex");
      message.append(box);
      save.disabled = false;
      save.focus({ preventScroll: true });
    });
    return el("tr", {},
      el("th", { scope: "row", "data-label": "Counselor" }, el("a", { href: `#roster/${c.counselor_id}` }, c.name)),
      el("td", { "data-label": "Open slots" }, slots), el("td", { "data-label": "Accepting" }, accepting),
      el("td", { "data-label": "Active" }, active), el("td", { "data-label": "Save" }, save, message));
  });
  page("Roster", flash || null,
    el("p", {}, el("a", { class: "button", href: "#roster/new" }, "Add a counselor")),
    el("div", { class: "table-wrap stack" }, el("table", {},
      el("caption", { class: "visually-hidden" }, "The roster: each counselor's open slots, whether they accept new clients and are active"),
      el("thead", {}, el("tr", {}, ["Counselor", "Open slots", "Accepting", "Active", "Save"].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, rows))));
}

async function renderCounselor(counselorId) {
  let existing = null;
  if (counselorId !== "new") {
    const reply = await call(`admin/counselors/${counselorId}`);
    if (!reply.ok) { page("Counselor", alertBox("That counselor could not load.", "error")); return; }
    existing = reply.body;
  }
  const formNode = counselorForm(lists, existing);
  formNode.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(formNode);
    const body = readCounselorForm(formNode);
    const reply = existing
      ? await call(`admin/counselors/${existing.counselor_id}`, { method: "PUT", body: { ...body, version: existing.version } })
      : await call("admin/counselors", { method: "POST", body });
    if (reply.ok) { location.hash = "roster"; return; }
    if (reply.status === 409) { formNode.prepend(alertBox("Someone changed this profile since you opened it. Reload it, then make your change again.", "error")); return; }
    showFieldErrors(formNode, reply);
  });
  page(existing ? `Edit ${existing.name}` : "Add a counselor", formNode,
    existing ? invitePanel(existing) : null,
    existing ? await historyPanel(existing, formNode) : null,
    el("p", {}, el("a", { href: "#roster" }, "Back to the roster")));
}

// An admin gives the counselor a sign-in of their own: Cognito emails them a temporary password.
function invitePanel(counselor) {
  const result = el("div", { id: "invite-result" });
  const form = el("form", { class: "card narrow", novalidate: true, "aria-labelledby": "invite-title" },
    el("h2", { id: "invite-title" }, "Invite to sign in"),
    el("p", { class: "hint", id: "invite-hint" }, `${counselor.name} gets a sign-in of their own, to keep their profile, weekly windows and capacity up to date. It can change only this profile.`),
    el("label", { for: "invite-email" }, "Their email address"),
    el("input", { id: "invite-email", type: "email", autocomplete: "off", required: true, maxlength: 254, "aria-describedby": "invite-hint" }),
    result,
    el("div", { class: "actions" }, el("button", { type: "submit" }, "Invite to sign in")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button");
    button.disabled = true;
    clear(result);
    const reply = await call(`admin/counselors/${counselor.counselor_id}/sign-in`, { method: "POST", body: { email: form.querySelector("#invite-email").value.trim() } });
    button.disabled = false;
    let text;
    if (reply.status === 201) text = "Invitation sent: they get an email with a temporary password.";
    else if (reply.status === 422) text = "Enter a valid email address.";
    else if (reply.body?.code === "has_sign_in") text = "This counselor already has a sign-in: they sign in with the address they were first invited with.";
    else text = sentence(reply.body?.message) || "The invitation could not be sent. Try again.";
    const box = alertBox(text, reply.status === 201 ? "success" : "error");
    result.append(box);
    box.focus();
  });
  return form;
}

// Who changed which fields of the profile, and when (never the values); field names in the form's words.
async function historyPanel(counselor, formNode) {
  const panel = el("section", { class: "card narrow", "aria-labelledby": "changes-title" }, el("h2", { id: "changes-title" }, "Change history"),
    el("p", { class: "hint" }, "Who changed which parts of this profile, and when, newest first (never what they wrote)."));
  const list = el("ol", { id: "change-history", class: "changes" });
  const more = el("button", { type: "button", class: "secondary" }, "Load more");
  const moreBox = el("div", { class: "actions", hidden: true }, more);
  panel.append(list, moreBox);
  async function load(cursor) {
    const query = new URLSearchParams({ limit: "25" });
    if (cursor) query.set("cursor", cursor);
    const reply = await call(`admin/counselors/${counselor.counselor_id}/changes?${query}`);
    if (!reply.ok) { panel.append(el("p", { class: "field-error" }, "The change history could not load.")); return; }
    if (!reply.body.items.length && !cursor) list.replaceWith(el("p", {}, "No changes recorded yet."));
    for (const item of reply.body.items) {
      const who = `${item.actor} (${item.by === "counselor" ? "the counselor" : "an admin"})`;
      const what = item.created ? "Created the profile" : `Changed ${item.fields.map((name) => fieldLabel(formNode, name)).join(", ") || "nothing"}`;
      list.append(el("li", {}, el("strong", {}, date(item.at)), `: ${what}, by ${who}.`));
    }
    moreBox.hidden = !reply.body.next;
    more.onclick = () => load(reply.body.next);
  }
  await load(null);
  return panel;
}

// ---------------------------------------------------------------- the counselor's own page

async function renderMe(flash) {
  const [profileReply, meetingsReply, ratingsReply] = await Promise.all([
    call("counselor/profile"), call("counselor/meetings"), call("counselor/ratings")]);
  if (profileReply.status === 403) {
    page("My profile", alertBox("Your sign-in is not linked to an active counselor profile. Ask the practice's admin.", "error"));
    return;
  }
  if (!profileReply.ok) { page("My profile", alertBox("Your profile could not load. Try again.", "error")); return; }
  const { profile, admin_only: adminOnly } = profileReply.body;
  const zone = profile.schedule?.time_zone || Intl.DateTimeFormat().resolvedOptions().timeZone;
  const formNode = counselorForm(lists, profile, { own: true });
  formNode.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(formNode);
    const button = formNode.querySelector('button[type="submit"]');
    button.disabled = true;
    const body = readCounselorForm(formNode, adminOnly);
    const reply = await call("counselor/profile", { method: "PUT", body: { ...body, version: profile.version } });
    button.disabled = false;
    if (reply.ok) {
      await renderMe(alertBox("Saved. Your profile is up to date: the directory and the times clients can book show it now.", "success"));
      return;
    }
    if (reply.status === 409) {
      const box = alertBox("Someone changed your profile since you opened it (perhaps the practice's admin). Reload it to see their change, then make yours again.", "error");
      box.append(el("div", { class: "actions reload-offer" }, el("button", { type: "button", onclick: () => renderMe() }, "Reload my profile")));
      formNode.prepend(box);
      box.focus();
      return;
    }
    if (reply.status === 403) { formNode.prepend(alertBox("Your profile can't be changed now: it is not active. Ask the practice's admin.", "error")); return; }
    showFieldErrors(formNode, reply);
  });
  page("My profile", el("div", { class: "narrow" }, flash || null,
    el("p", { class: "lead" }, `${profile.name}: what clients see in the directory, when they can book a first conversation with you, and how many new clients you can take.`),
    el("p", {}, el("a", { href: `directory#${profile.counselor_id}` }, "See your public profile in the directory")),
    el("div", { class: "columns summary" }, meetingsPanel(meetingsReply, zone), ratingsPanel(ratingsReply)),
    formNode));
  if (flash) flash.focus();
}

function meetingsPanel(reply, zone) {
  const panel = el("section", { class: "card", "aria-labelledby": "meetings-title" }, el("h2", { id: "meetings-title" }, "Upcoming first conversations"));
  if (!reply.ok) { panel.append(el("p", { class: "field-error" }, "They could not load. Reload the page.")); return panel; }
  if (!reply.body.items.length) { panel.append(el("p", { id: "no-meetings" }, "None booked yet.")); return panel; }
  const when = new Intl.DateTimeFormat(undefined, { timeZone: zone, weekday: "short", month: "short", day: "numeric", hour: "numeric", minute: "2-digit", timeZoneName: "short" });
  panel.append(el("p", { class: "hint" }, `Times in your time zone: ${zone}.`),
    el("ul", { id: "meetings", class: "meetings" }, reply.body.items.map((m) => el("li", {},
      el("strong", {}, when.format(new Date(m.start))), ` · ${labelOf(lists, "MeetingKind", m.kind)}, ${m.minutes} minutes · `,
      `${labelOf(lists, "ConversationFormat", m.format)} · reference `, el("span", { class: "reference" }, m.intake_id)))));
  return panel;
}

function ratingsPanel(reply) {
  const panel = el("section", { class: "card", "aria-labelledby": "ratings-title" }, el("h2", { id: "ratings-title" }, "How clients rate your understanding"));
  if (!reply.ok) { panel.append(el("p", { class: "field-error" }, "This could not load. Reload the page.")); return panel; }
  const r = reply.body;
  panel.append(el("p", { class: "hint" }, "How well clients feel you understand their values, culture and faith, from their check-ins. No single client's answers are ever shown."),
    r.understanding === null
      ? el("p", { id: "rating" }, `Shown once at least ${r.minimum} clients have rated it.`)
      : el("p", { id: "rating" }, el("strong", { class: "score" }, r.understanding.toFixed(1)), ` of 10, from ${r.clients} clients.`));
  return panel;
}

// ---------------------------------------------------------------- waitlists

async function renderWaitlists(counselorId) {
  const directory = await call("counselors?limit=100");
  if (!directory.ok) { page("Waitlists", alertBox("The counselors could not load.", "error")); return; }
  const choose = el("select", { id: "waitlist-counselor" },
    el("option", { value: "" }, "Choose a counselor"),
    ...directory.body.items.map((c) => el("option", { value: c.counselor_id, selected: c.counselor_id === counselorId }, c.name)));
  choose.addEventListener("change", () => { location.hash = choose.value ? `waitlist/${choose.value}` : "waitlist"; });
  const chooser = el("p", {}, el("label", { for: "waitlist-counselor" }, "Whose waitlist "), choose);
  const intro = el("p", { class: "lead" }, "Clients who chose to wait, first in line first: for this counselor alone, or for the first good fit on their shortlist. When a place frees up, the first of them is offered it by email and it is held for them.");
  if (!counselorId) { page("Waitlists", intro, chooser); return; }
  const name = directory.body.items.find((c) => c.counselor_id === counselorId)?.name || counselorId;
  const reply = await call(`review/counselors/${counselorId}/waitlist`);
  if (!reply.ok) { page("Waitlists", intro, chooser, alertBox("That waitlist could not load.", "error")); return; }
  const items = reply.body.items;
  const table = items.length === 0
    ? el("p", { id: "waitlist-empty" }, `No one is waiting for ${name}.`)
    : el("div", { class: "table-wrap" }, el("table", { id: "waitlist-table" },
      el("caption", {}, `Waiting for ${name}: ${items.length}`),
      el("thead", {}, el("tr", {}, ["Place", "Reference", "Waiting since", "Waits for", "Place held"].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, items.map((item, i) => el("tr", {},
        el("td", {}, String(i + 1)),
        el("td", {}, el("a", { href: `#${item.reference}` }, item.reference)),
        el("td", {}, date(item.joined_at)),
        el("td", {}, item.any_fit ? "The first good fit" : `${name} alone`),
        el("td", {}, item.held_until ? `${item.held_for_this_counselor ? "Here" : "With another counselor"}, until ${date(item.held_until)}` : "No"))))));
  page(`Waitlist: ${name}`, intro, chooser, table);
}

// ---------------------------------------------------------------- routing

async function route() {
  renderNav();
  const current = session();
  if (!current) { renderSignIn(); return; }
  const hash = decodeURIComponent(location.hash.slice(1));
  // a counselor without staff rights has one page: their own (the API refuses them every staff route)
  if (hash === "me" || (isCounselor(current) && !isStaff(current))) {
    if (hash !== "me") history.replaceState(null, "", "#me");
    await renderMe();
  } else if (hash.startsWith("in-")) await renderIntake(hash);
  else if (hash === "report") await renderReport();
  else if (hash === "roster") await renderRoster();
  else if (hash === "waitlist") await renderWaitlists(null);
  else if (hash.startsWith("waitlist/")) await renderWaitlists(hash.slice("waitlist/".length));
  else if (hash.startsWith("roster/")) await renderCounselor(hash.slice("roster/".length));
  else await renderQueue();
}

async function start() {
  [settings, lists] = await Promise.all([config(), vocabulary()]);
  setPracticeName(settings.practiceName);
  window.addEventListener("hashchange", route);
  await route();
}

start().catch(() => {
  clear(app).append(alertBox("The console could not load. Reload the page.", "error"));
});
