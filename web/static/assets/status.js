// The client's private status page. The reference and token come from the link's fragment, which the
// browser never sends to a server; the token goes to the API in a header, never in a URL.
import { api, clear, config, el, labelsOf, setPracticeName, vocabulary } from "./common.js";
import { profileCard } from "./profile.js";

const app = document.getElementById("app");

const STAGES = {
  received: ["We have your answers", "A member of our team will read them personally and suggest a counselor, usually within two working days."],
  being_reviewed: ["We're reviewing your answers", "Someone on our team is looking at your answers and the counselors who could fit you best."],
  matched: ["You're matched", "Your counselor will contact you to arrange a first session. If anything about the match doesn't feel right, tell us: you can always ask for someone else."],
  waitlisted: ["You're on our waitlist", "The counselors who fit you best are full right now. We'll contact you as soon as a place opens."],
  referred: ["We've referred you elsewhere", "We couldn't offer the right fit here, so we'll contact you with other places that can help."],
  closed: ["This intake is closed", "We're not able to offer counseling for this request. We'll contact you to explain, and to suggest other places that can help."],
};

async function start() {
  const [settings, lists] = await Promise.all([config(), vocabulary()]);
  setPracticeName(settings.practiceName);
  const [reference, token] = decodeURIComponent(location.hash.slice(1)).split(".");
  if (!reference || !token) {
    clear(app).append(el("p", { class: "notice" }, "This page needs the private link you were given when you sent your answers."));
    return;
  }
  const reply = await api(`intakes/${encodeURIComponent(reference)}/status`, { headers: { "X-Status-Token": token } });
  if (reply.status === 404 || reply.status === 422) {
    clear(app).append(el("p", { class: "notice", role: "alert" }, "We couldn't find an intake for this link. Please check that you copied the whole link."));
    return;
  }
  if (!reply.ok) {
    clear(app).append(el("p", { class: "notice", role: "alert" }, "We couldn't check right now. Please try again in a moment."));
    return;
  }
  const [title, text] = STAGES[reply.body.stage] || ["Received", ""];
  clear(app).append(
    el("p", { class: "muted" }, "Reference ", el("strong", {}, reply.body.reference)),
    el("section", { class: "card", "aria-labelledby": "stage" },
      el("h2", { id: "stage" }, title),
      el("p", {}, text),
      el("p", { class: "muted" }, "Last updated ", new Date(reply.body.updated_at).toLocaleString())),
    reply.body.counselor ? el("h2", {}, "Your counselor") : null,
    reply.body.counselor ? profileCard(reply.body.counselor, lists, "h3") : null,
  );
}

start().catch(() => {
  clear(app).append(el("p", { class: "notice", role: "alert" }, "This page could not load. Please reload it."));
});
