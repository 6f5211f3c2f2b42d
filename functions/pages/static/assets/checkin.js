// The client's check-in after a session. The reference, check-in number and token come from the link's
// fragment (never sent to a server, and out of the address bar once read); the token goes to the API in a
// header. A check-in is sent once.
import { api, clear, config, crisisLinks, el, forgetPrivateLink, lang, privateLink, setPracticeName, t, tParts } from "./common.js";

const app = document.getElementById("app");
const LINK = "check-in-link";
const SCALE = Array.from({ length: 11 }, (_, i) => i);
const REQUIRED = ["trust", "understood", "respected", "agenda", "overall"];
let reference;
let number;
let token;

function crisisNote() {
  return el("p", { class: "muted tap-links" }, tParts("checkin.crisis", crisisLinks()));
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
  message(t("checkin.expired"), t("checkin.expired.text"));
}

function alreadySent() {
  message(t("checkin.already_sent"), t("checkin.already_sent.text"), "success");
}

// A check-in that puts the bond at risk is answered with support, not the usual thank-you. This page's link
// cannot ask for someone else (it may only send this check-in), so the service emailed a status link that
// can; the page says so, and repeats none of the answers.
function supported() {
  show(el("section", { class: "success support", role: "status" },
    el("h2", {}, t("checkin.support")),
    el("p", {}, t("checkin.support.heard")),
    el("p", {}, t("checkin.support.reach_out")),
    el("p", { class: "support-email" }, el("strong", {}, t("checkin.support.emailed")), " ", t("checkin.support.one_step")),
    el("p", {}, t("checkin.support.no_rush"))));
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
    el("p", { class: "hint", id: hintId }, t("checkin.scale")),
    box);
  if (optional) {
    const id = `${fieldsetId}-na`;
    fieldset.append(el("div", { class: "choice" },
      el("input", { type: "radio", id, name, value: "" }),
      el("label", { for: id }, t("checkin.not_applicable"))));
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
    el("h2", {}, t("checkin.errors")),
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
  const form = el("form", { class: "check-in", novalidate: true, "aria-label": t("checkin.form") },
    el("p", { class: "lead" }, t("checkin.lead", { name: page.counselor_name })),
    ...questions.map((q) => scaleQuestion(q, q.item === "identity")),
    el("div", { class: "field", "data-field": "not_working" },
      el("label", { for: "not-working" }, t("checkin.not_working"), el("span", { class: "muted" }, t("field.optional"))),
      el("p", { class: "hint", id: "not-working-hint" }, t("checkin.not_working.hint")),
      el("textarea", { id: "not-working", name: "not_working", maxlength: 2000, "aria-describedby": "not-working-hint" })),
    el("div", { class: "actions" }, el("button", { type: "submit" }, t("checkin.send"))));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const missing = REQUIRED.filter((name) => chosen(form, name) === null)
      .map((name) => [name, t("checkin.choose_number", { question: questions.find((q) => q.item === name).text })]);
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
      message(t("checkin.thanks"), t("checkin.thanks.text"), "success");
      return;
    }
    if (reply.status === 409 && reply.body?.code === "already_sent") { alreadySent(); return; }
    if (reply.status === 410) { expired(); return; }
    if (reply.status === 422 && reply.body?.detail?.length) {
      // the API's own messages are in English: a page in another language says it in its own words
      showErrors(form, reply.body.detail.map((d) => [d.loc[1] ?? d.loc[0], lang === "en" ? d.msg : t("errors.invalid")]));
      return;
    }
    showErrors(form, [["overall", t(reply.status === 0 ? "checkin.unreachable" : "checkin.failed")]]);
  });
  show(form);
}

async function start() {
  const settings = await config();
  setPracticeName(settings.practiceName);
  const parts = privateLink(LINK).split(".");
  [reference, number, token] = [parts[0], Number(parts[1]), parts[2]];
  if (!reference || !number || !token) {
    message(t("checkin.needs_link"), t("checkin.needs_link.text"));
    return;
  }
  const reply = await api(`checkins/${encodeURIComponent(reference)}/${number}`, { headers: { "X-Check-In-Token": token } });
  if (reply.status === 404 || reply.status === 422) {
    forgetPrivateLink(LINK);
    message(t("checkin.not_found"), t("checkin.not_found.text"));
    return;
  }
  if (!reply.ok) { message(t("checkin.load_failed"), t("checkin.load_failed.text")); return; }
  if (reply.body.state === "sent") { alreadySent(); return; }
  if (reply.body.state === "expired") { expired(); return; }
  renderForm(reply.body);
}

start().catch(() => {
  clear(app).append(el("p", { class: "notice", role: "alert" }, t("page.load_failed")));
});
