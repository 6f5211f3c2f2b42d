// The client's check-in after a session. The reference, check-in number and token come from the link's
// fragment (never sent to a server, and out of the address bar once read); the token goes to the API in a
// header. A check-in is sent once.
import { api, clear, config, el, forgetPrivateLink, privateLink, setPracticeName } from "./common.js";

const app = document.getElementById("app");
const LINK = "check-in-link";
const SCALE = Array.from({ length: 11 }, (_, i) => i);
const REQUIRED = ["trust", "understood", "respected", "agenda", "overall"];
let reference;
let number;
let token;

function crisisNote() {
  return el("p", { class: "muted tap-links" }, "If you are in crisis, call ", el("a", { href: "tel:988" }, "988"), " or text ", el("a", { href: "sms:988" }, "988"),
    " (Suicide & Crisis Lifeline), or call ", el("a", { href: "tel:911" }, "911"), " in an emergency. Please don't wait for us.");
}

function show(...content) {
  clear(app).append(...content, crisisNote());
  const heading = app.querySelector("h2");
  if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
}

function message(title, text, kind = "notice") {
  show(el("section", { class: kind === "success" ? "success" : "notice", role: kind === "success" ? "status" : "alert" },
    el("h2", {}, title), el("p", {}, text)));
}

function expired() {
  message("This check-in link has expired",
    "Links in our check-in emails work for a limited time, to keep your answers private. You can still tell us how it's going by replying to our email, and you can ask for a different counselor at any time from the status link in your emails.");
}

function alreadySent() {
  message("We already have this check-in",
    "Thank you: your answers reached us, and a check-in can be sent only once. If something has changed since, reply to our email and tell us.", "success");
}

// A check-in that puts the bond at risk is answered with support, not the usual thank-you. This page's link
// cannot ask for someone else (it may only send this check-in), so the service emailed a status link that
// can; the page says so, and repeats none of the answers.
function supported() {
  show(el("section", { class: "success support", role: "status" },
    el("h2", {}, "Thank you for telling us"),
    el("p", {}, "We heard you. It's common for a first match not to feel right, and it can be put right: sometimes a conversation helps, sometimes a different counselor does."),
    el("p", {}, "Someone from our team will reach out to you soon to ask what would help."),
    el("p", { class: "support-email" }, el("strong", {}, "We've emailed you a link where you can ask for someone else."), " It takes one step, and you won't fill in the form again."),
    el("p", {}, "You don't have to decide anything now.")));
}

function scaleQuestion(question, optional) {
  const name = question.item;
  const fieldsetId = `q-${name}`;
  const hintId = `${fieldsetId}-hint`;
  const box = el("div", { class: "scale" });
  for (const value of SCALE) {
    const id = `${fieldsetId}-${value}`;
    // the label holds its radio, so the whole 44-pixel point is the tap target
    box.append(el("label", { class: "scale-point", for: id },
      el("input", { type: "radio", id, name, value: String(value) }),
      el("span", {}, String(value))));
  }
  const fieldset = el("fieldset", { id: fieldsetId, "data-field": name, "aria-describedby": hintId },
    el("legend", {}, question.text),
    el("p", { class: "hint", id: hintId }, "0 means not at all, 10 means completely."),
    box);
  if (optional) {
    const id = `${fieldsetId}-na`;
    fieldset.append(el("div", { class: "choice" },
      el("input", { type: "radio", id, name, value: "" }),
      el("label", { for: id }, "Doesn't apply to me")));
  }
  return fieldset;
}

function chosen(form, name) {
  const picked = form.querySelector(`input[name="${name}"]:checked`);
  return picked ? picked.value : null;
}

function showErrors(form, problems) {
  for (const node of form.querySelectorAll(".field-error")) node.remove();
  for (const node of form.querySelectorAll(".has-error")) node.classList.remove("has-error");
  form.querySelector(".error-summary")?.remove();
  if (!problems.length) return;
  const summary = el("div", { class: "error-summary", role: "alert", tabindex: "-1" },
    el("h2", {}, "Please check your answers"),
    el("ul", {}, problems.map(([name, text]) => el("li", {}, el("a", { href: `#q-${name}` }, text)))));
  form.prepend(summary);
  for (const [name, text] of problems) {
    const fieldset = form.querySelector(`[data-field="${name}"]`);
    if (!fieldset) continue;
    fieldset.classList.add("has-error");
    const id = `${fieldset.id}-error`;
    fieldset.querySelector("legend").after(el("p", { class: "field-error", id }, text));
    fieldset.setAttribute("aria-describedby", `${id} ${fieldset.getAttribute("aria-describedby") || ""}`.trim());
  }
  summary.focus();
}

function renderForm(page) {
  const questions = page.questions;
  const form = el("form", { class: "check-in", novalidate: true, "aria-label": "Check-in" },
    el("p", { class: "lead" }, `About your sessions with ${page.counselor_name}. It takes about a minute, and there are no right answers.`),
    ...questions.map((q) => scaleQuestion(q, q.item === "identity")),
    el("div", { class: "field", "data-field": "not_working" },
      el("label", { for: "not-working" }, "Is anything not working for you? ", el("span", { class: "muted" }, "(optional)")),
      el("p", { class: "hint", id: "not-working-hint" }, "Only our intake team reads this. We won't share it with your counselor unless you ask us to."),
      el("textarea", { id: "not-working", name: "not_working", maxlength: 2000, "aria-describedby": "not-working-hint" })),
    el("div", { class: "actions" }, el("button", { type: "submit" }, "Send my check-in")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const missing = REQUIRED.filter((name) => chosen(form, name) === null)
      .map((name) => [name, `Choose a number for: ${questions.find((q) => q.item === name).text}`]);
    if (missing.length) { showErrors(form, missing); return; }
    const identity = chosen(form, "identity");
    const body = Object.fromEntries(REQUIRED.map((name) => [name, Number(chosen(form, name))]));
    body.identity = identity === null || identity === "" ? null : Number(identity);
    body.not_working = form.querySelector("#not-working").value;
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    const reply = await api(`checkins/${encodeURIComponent(reference)}/${number}`, { method: "POST", body, headers: { "X-Check-In-Token": token } });
    button.disabled = false;
    if (reply.status === 201 && reply.body?.support_email_sent) { supported(); return; }
    if (reply.status === 201) {
      message("Thank you", "Your answers reached our team. They help us make sure counseling is working for you. If it isn't, you can ask for a different counselor at any time from the status link in your emails.", "success");
      return;
    }
    if (reply.status === 409 && reply.body?.code === "already_sent") { alreadySent(); return; }
    if (reply.status === 410) { expired(); return; }
    if (reply.status === 422 && reply.body?.detail?.length) {
      showErrors(form, reply.body.detail.map((d) => [d.loc[1] ?? d.loc[0], d.msg]));
      return;
    }
    showErrors(form, [["overall", reply.status === 0
      ? "We couldn't reach the service. Your answers are still here: please try again."
      : "Something went wrong on our side. Your answers are still here: please try again in a moment."]]);
  });
  show(form);
}

async function start() {
  const settings = await config();
  setPracticeName(settings.practiceName);
  const parts = privateLink(LINK).split(".");
  [reference, number, token] = [parts[0], Number(parts[1]), parts[2]];
  if (!reference || !number || !token) {
    message("This page needs your check-in link", "Open the link from our check-in email, and make sure you copied all of it.");
    return;
  }
  const reply = await api(`checkins/${encodeURIComponent(reference)}/${number}`, { headers: { "X-Check-In-Token": token } });
  if (reply.status === 404 || reply.status === 422) {
    forgetPrivateLink(LINK);
    message("We couldn't find this check-in", "Please check that you copied the whole link from our email.");
    return;
  }
  if (!reply.ok) { message("We couldn't load your check-in", "Please try again in a moment."); return; }
  if (reply.body.state === "sent") { alreadySent(); return; }
  if (reply.body.state === "expired") { expired(); return; }
  renderForm(reply.body);
}

start().catch(() => {
  clear(app).append(el("p", { class: "notice", role: "alert" }, "This page could not load. Please reload it."));
});
