// The staff review console: sign in with the practice's Cognito user pool, work the queue, review an
// intake beside its suggestions, assign or decide; admins also edit the roster.
import { api, choiceGroup, clear, config, el, labelOf, labelsOf, setPracticeName, vocabulary } from "./common.js";
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
    el("h1", { id: "sign-in-title", tabindex: "-1" }, challenge ? "Choose a new password" : "Staff sign-in"),
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

function renderNav() {
  const nav = clear(document.getElementById("nav"));
  const current = session();
  nav.append(el("a", { href: "console" }, settings.practiceName), el("span", { class: "secondary" }, "Review console"));
  if (!current) return;
  nav.append(el("a", { class: "secondary", href: "#queue" }, "Queue"));
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

// ---------------------------------------------------------------- queue

async function renderQueue() {
  const params = new URLSearchParams(location.hash.split("?")[1] || "");
  const stage = params.get("stage") || "open";
  const status = params.get("status") || "";
  const filters = el("form", { class: "card filters", "aria-label": "Filter the queue" },
    el("label", { for: "stage" }, "Stage"),
    el("select", { id: "stage" }, ["open", "waitlisted", "assigned", "closed"].map((s) =>
      el("option", { value: s, selected: s === stage }, s[0].toUpperCase() + s.slice(1)))),
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
    el("thead", {}, el("tr", {}, ["", "Reference", "Name", "Main concern", "For", "Where", "Received", "Status"].map((h) => el("th", { scope: "col" }, h)))),
    body));
  page("Intake queue", el("p", { class: "muted" }, "Urgent intakes (a yes to the safety question) are always first."), filters, table, el("div", { class: "actions" }, more));

  async function load(cursor) {
    const query = new URLSearchParams({ stage, limit: "25" });
    if (status) query.set("status", status);
    if (cursor) query.set("cursor", cursor);
    const reply = await call(`review/intakes?${query}`);
    if (!reply.ok) { app.append(alertBox("The queue could not load. Try again.", "error")); return; }
    if (!reply.body.items.length && !cursor) body.append(el("tr", {}, el("td", { colspan: 8 }, "Nothing here.")));
    for (const item of reply.body.items) {
      body.append(el("tr", {},
        el("td", {}, item.urgent ? el("span", { class: "badge urgent" }, "Urgent") : ""),
        el("td", {}, el("a", { href: `#${item.reference}` }, item.reference)),
        el("td", {}, item.name),
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

function answersView(answers) {
  const out = [el("section", { class: answers.safety === "yes" ? "crisis" : "card" },
    el("h3", {}, "Safety question"),
    el("p", {}, "Current thoughts of harming themself or someone else: ", el("strong", {}, labelOf(lists, "SafetyAnswer", answers.safety))),
    answers.safety === "yes" ? el("p", {}, "Follow the practice's crisis protocol: contact the client today; 988 and 911 were shown to them.") : null)];
  for (const [title, key, fields] of SECTIONS) {
    const rows = [];
    for (const [name, listName] of Object.entries(fields)) {
      const shown = display(answers[key]?.[name], listName);
      if (shown !== null) rows.push(el("dt", {}, name.replaceAll("_", " ")), el("dd", {}, shown));
    }
    if (rows.length) out.push(el("section", { class: "card" }, el("h3", {}, title), el("dl", { class: "answers" }, rows)));
  }
  return out;
}

function suggestionCard(intake, s, relaxed) {
  const id = `s-${s.counselor_id}`;
  return el("article", { class: "card", "aria-labelledby": id },
    el("h3", { id }, s.name, " ", el("span", { class: "score" }, `${s.score}`), el("span", { class: "muted" }, "/100")),
    el("p", { class: "muted" }, `${s.open_slots} open slot${s.open_slots === 1 ? "" : "s"} · ${s.counselor_id}`),
    s.unmet_must_haves.length ? el("p", {}, el("span", { class: "badge relaxed" }, "Relaxed"), " Misses must-have: ",
      labelsOf(lists, "FactorName", s.unmet_must_haves).join(", ")) : null,
    el("ul", {}, s.reasons.map((r) => el("li", {}, r))),
    el("details", {}, el("summary", {}, "Score breakdown"),
      el("div", { class: "table-wrap" }, el("table", {},
        el("thead", {}, el("tr", {}, ["Factor", "Client's rating", "Met", "Points"].map((h) => el("th", { scope: "col" }, h)))),
        el("tbody", {}, s.breakdown.map((f) => el("tr", {},
          el("td", {}, labelOf(lists, "FactorName", f.factor)),
          el("td", {}, f.importance ? labelOf(lists, "Importance", f.importance) : "Practice weight"),
          el("td", {}, `${Math.round(f.level * 100)}%`, f.must_have_met === false ? " (must-have not met)" : ""),
          el("td", {}, String(f.points)))))))),
    canAssign(intake) ? el("div", { class: "actions" },
      el("button", { type: "button", onclick: () => assign(intake, s.counselor_id, "") }, `Assign ${s.name}`)) : null);
}

function canAssign(intake) {
  return ["new", "in_review", "needs_rematch", "waitlisted"].includes(intake.status);
}

async function renderIntake(reference, flash) {
  const reply = await call(`review/intakes/${encodeURIComponent(reference)}`);
  if (reply.status === 404 || reply.status === 422) { page("Intake not found", el("p", {}, el("a", { href: "#queue" }, "Back to the queue"))); return; }
  if (!reply.ok) { page("Intake", alertBox("This intake could not load. Try again.", "error")); return; }
  const intake = reply.body;
  const match = intake.match;
  const right = [];
  if (!match) right.push(alertBox("Matching has not run for this intake yet. Run it now.", "notice"));
  else {
    if (match.no_match) right.push(el("div", { class: "notice" }, el("h3", {}, "No counselor fits"), el("p", {}, match.no_match.detail), el("p", {}, el("strong", {}, "Next step: "), match.no_match.next_step)));
    if (match.suggestions.length) right.push(el("h2", {}, "Suggestions"), ...match.suggestions.map((s) => suggestionCard(intake, s)));
    if (match.alternatives.length) {
      right.push(el("h2", {}, "Closest alternatives"),
        el("p", {}, `Fewer than three counselors meet every must-have. To find these we relaxed: ${labelsOf(lists, "FactorName", match.relaxed).join(", ")}.`),
        ...match.alternatives.map((s) => suggestionCard(intake, s)));
    }
    right.push(el("p", { class: "muted" }, `Matched ${date(match.matched_at)} against ${match.roster_size} counselors (${match.eligible} eligible).`));
  }
  right.push(await actionsPanel(intake));
  page(`Intake ${intake.reference}`,
    flash || null,
    el("p", {}, intake.urgent ? el("span", { class: "badge urgent" }, "Urgent") : null, " ",
      `Status: ${labelOf(lists, "IntakeStatus", intake.status)} · received ${date(intake.created_at)}`,
      intake.assigned_counselor_id ? ` · assigned to ${intake.assigned_counselor_id}` : ""),
    el("div", { class: "columns" },
      el("section", { "aria-label": "The client's answers" }, el("h2", {}, "Answers"), ...answersView(intake.answers)),
      el("section", { "aria-label": "Suggestions and actions" }, ...right)),
    el("section", { class: "card" }, el("h2", {}, "History"),
      el("ol", {}, intake.history.map((h) => el("li", {}, `${date(h.at)}: ${labelOf(lists, "HistoryKind", h.kind)}`,
        h.actor ? ` by ${h.actor}` : "", h.counselor_id ? ` (${h.counselor_id})` : "", h.note ? ` - "${h.note}"` : "")))),
    el("p", {}, el("a", { href: "#queue" }, "Back to the queue")));
}

async function actionsPanel(intake) {
  const panel = el("section", { class: "card", "aria-labelledby": "actions-title" }, el("h2", { id: "actions-title" }, "Decide"));
  if (!canAssign(intake)) {
    panel.append(el("p", {}, "This intake is closed."));
    return panel;
  }
  const decision = el("form", { "aria-label": "Record a decision" },
    choiceGroup({ name: "decision", legend: "Instead of assigning", type: "radio", options: lists.Decision, id: "decision" }),
    el("label", { for: "decision-note" }, "Note for the team ", el("span", { class: "muted" }, "(optional)")),
    el("textarea", { id: "decision-note", maxlength: 2000 }),
    el("div", { class: "actions" }, el("button", { type: "submit" }, "Record decision")));
  decision.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = decision.querySelector('[name="decision"]:checked');
    if (!chosen) { decision.prepend(alertBox("Choose a decision first.", "error")); return; }
    const reply = await call(`review/intakes/${intake.reference}/decision`, { method: "POST", body: { decision: chosen.value, note: decision.querySelector("#decision-note").value } });
    renderIntake(intake.reference, reply.ok ? alertBox("Decision recorded.", "success") : alertBox(reply.body?.message || "That didn't work. Try again.", "error"));
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

async function assign(intake, counselorId, reason) {
  if (!counselorId) { app.prepend(alertBox("Choose a counselor first.", "error")); return; }
  const reply = await call(`review/intakes/${intake.reference}/assignment`, { method: "POST", body: { counselor_id: counselorId, reason } });
  if (reply.ok) { renderIntake(intake.reference, alertBox("Assigned. The client's status page now shows their counselor.", "success")); return; }
  let text = reply.body?.message || "That didn't work. Try again.";
  if (reply.body?.code === "slot_taken") text = "This slot was just taken: that counselor has no open slot now. Choose another counselor, or re-run matching to see who is free.";
  if (reply.body?.code === "already_decided" || reply.body?.code === "transition_not_allowed") text = "Someone else just assigned or closed this intake. Showing its current state.";
  renderIntake(intake.reference, alertBox(text, "error"));
}

async function rematch(intake) {
  const reply = await call(`review/intakes/${intake.reference}/rematch`, { method: "POST" });
  renderIntake(intake.reference, reply.ok ? alertBox("Matching ran again on the current roster.", "success") : alertBox(reply.body?.message || "That didn't work.", "error"));
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
    const save = el("button", { type: "button", class: "secondary", onclick: async () => {
      const current = await call(`admin/counselors/${c.counselor_id}`);
      if (!current.ok) { renderRoster(alertBox("That counselor could not load.", "error")); return; }
      const patch = await call(`admin/counselors/${c.counselor_id}`, { method: "PATCH", body: {
        version: current.body.version, open_slots: Number(slots.value), accepting_new_clients: accepting.checked, active: active.checked } });
      renderRoster(patch.ok ? alertBox(`Saved ${c.name}.`, "success") : alertBox(patch.body?.message || "Not saved.", "error"));
    } }, "Save");
    return el("tr", {}, el("td", {}, el("a", { href: `#roster/${c.counselor_id}` }, c.name)), el("td", {}, slots), el("td", {}, accepting), el("td", {}, active), el("td", {}, save));
  });
  page("Roster", flash || null,
    el("p", {}, el("a", { class: "button", href: "#roster/new" }, "Add a counselor")),
    el("div", { class: "table-wrap" }, el("table", {},
      el("thead", {}, el("tr", {}, ["Counselor", "Open slots", "Accepting", "Active", ""].map((h) => el("th", { scope: "col" }, h)))),
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
    for (const node of formNode.querySelectorAll(".field-error, .error-summary")) node.remove();
    const body = readCounselorForm(formNode);
    const reply = existing
      ? await call(`admin/counselors/${existing.counselor_id}`, { method: "PUT", body: { ...body, version: existing.version } })
      : await call("admin/counselors", { method: "POST", body });
    if (reply.ok) { location.hash = "roster"; return; }
    if (reply.status === 409) { formNode.prepend(alertBox("Someone changed this profile since you opened it. Reload it, then make your change again.", "error")); return; }
    const problems = reply.body?.detail || [];
    for (const problem of problems) {
      const container = formNode.querySelector(`[data-field="${problem.loc.filter((p) => typeof p === "string" && p !== "body")[0]}"]`);
      container?.append(el("p", { class: "field-error" }, problem.msg));
    }
    const summary = alertBox(`${reply.body?.message || "Not saved."} ${problems.map((p) => `${p.loc.slice(1).join(".")}: ${p.msg}`).join("; ")}`, "error");
    formNode.prepend(summary);
    summary.focus();
  });
  page(existing ? `Edit ${existing.name}` : "Add a counselor", formNode, el("p", {}, el("a", { href: "#roster" }, "Back to the roster")));
}

// ---------------------------------------------------------------- routing

async function route() {
  renderNav();
  if (!session()) { renderSignIn(); return; }
  const hash = decodeURIComponent(location.hash.slice(1));
  if (hash.startsWith("in-")) await renderIntake(hash);
  else if (hash === "roster") await renderRoster();
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
