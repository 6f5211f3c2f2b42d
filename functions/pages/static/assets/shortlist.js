// The client's shortlist on their status page, and the first conversation they book from it: choose a time
// (it books it), reschedule, cancel. Times are shown in the client's own time zone, named; the API takes
// and returns UTC instants. Nothing here is built from markup: every node is made with el().
import { api, el, labelOf, labelsOf } from "./common.js";

export const CLIENT_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
const TIME = new Intl.DateTimeFormat("en-US", {
  weekday: "long", month: "long", day: "numeric", hour: "numeric", minute: "2-digit", timeZoneName: "short", timeZone: CLIENT_ZONE,
});

export function when(iso) {
  return TIME.format(new Date(iso));
}

const MARKS = { met: ["Met", "mark-met", "✓"], partly_met: ["Partly met", "mark-partly", "◐"], not_met: ["Not met", "mark-not", "✗"] };

function wishList(wishes) {
  return el("ul", { class: "wishes" }, wishes.map((w) => {
    const [text, cls, symbol] = MARKS[w.status];
    return el("li", {},
      el("span", { class: `mark ${cls}`, "aria-hidden": "true" }, symbol), " ",
      `${w.topic}${w.must_have ? " (your must-have)" : ""}: `, el("strong", {}, text));
  }));
}

function offerLabel(lists, offer) {
  return `${labelOf(lists, "MeetingKind", offer.kind)} (${offer.minutes} minutes, ${labelOf(lists, "ConversationFormat", offer.format).toLowerCase()})`;
}

// A group of time buttons; choosing one calls `choose(start)`. `note` (an alert) says why the times changed.
export function timeChoices({ id, legend, times, choose, note }) {
  const group = el("fieldset", { class: "times", id }, el("legend", {}, legend));
  if (note) group.append(el("p", { class: "notice", role: "alert" }, note));
  if (!times.length) {
    group.append(el("p", {}, "No open times right now. Check back soon, or choose another counselor."));
    return group;
  }
  const list = el("div", { class: "time-list" });
  for (const start of times) {
    list.append(el("button", { type: "button", class: "secondary time", "data-start": start, onclick: async (event) => {
      for (const button of group.querySelectorAll("button")) button.disabled = true;
      event.currentTarget.setAttribute("aria-busy", "true");
      await choose(start, group);
    } }, when(start)));
  }
  group.append(list);
  return group;
}

// What happened to a booking request, shown in place of the group: fresh times on a 409, else the message.
export function refused(reply, group, rebuild) {
  if (reply.status === 409 && Array.isArray(reply.body?.openings)) {
    group.replaceWith(rebuild(reply.body.openings, `${reply.body.message} The times below are still open.`));
    return;
  }
  for (const button of group.querySelectorAll("button")) button.disabled = false;
  group.querySelector(".field-error")?.remove();
  const message = reply.body?.detail?.[0]?.msg || reply.body?.message
    || (reply.status === 0 ? "We couldn't reach the service. Please try again." : "That didn't work. Please try again in a moment.");
  group.append(el("p", { class: "field-error", role: "alert" }, message));
}

function entryCard({ entry, lists, reference, token, done }) {
  const c = entry.counselor;
  const headingId = `choice-${c.counselor_id}`;
  const card = el("article", { class: "card shortlist-entry", "aria-labelledby": headingId },
    el("h3", { id: headingId }, c.name, c.pronouns ? el("span", { class: "muted" }, ` (${c.pronouns})`) : null),
    el("p", { class: "muted" }, [c.credentials.join(", "), labelsOf(lists, "Language", c.languages).join(", ")].join(" · ")),
    entry.alternative ? el("p", { class: "notice" }, el("strong", {}, "Not every must-have: "), entry.relaxed || "") : null,
    c.concerns_primary.length ? el("p", {}, "Specialties: ", labelsOf(lists, "Concern", c.concerns_primary).join(", ")) : null,
    c.approaches.length ? el("p", {}, "Approaches: ", labelsOf(lists, "Approach", c.approaches).join(", ")) : null,
    c.bio ? el("details", {}, el("summary", {}, `More about ${c.name}`), el("p", {}, c.bio),
      el("p", {}, el("a", { class: "block-link", href: `directory#${c.counselor_id}` }, "Their full profile"))) : null,
    el("h4", {}, "How they fit what you asked for"),
    wishList(entry.wishes),
    entry.reasons.length ? el("ul", { class: "reasons" }, entry.reasons.map((r) => el("li", {}, r))) : null,
    el("h4", {}, "What it would likely cost you"),
    entry.cost ? el("p", { class: "cost" }, entry.cost.summary) : el("p", {}, "Ask us about the cost."),
    entry.cost?.to_check ? el("p", { class: "muted" }, entry.cost.to_check) : null,
    el("h4", {}, "Book a first conversation"));
  if (!entry.offers.length) card.append(el("p", {}, `${c.name} is not taking bookings online yet: tell us if you'd like to meet them.`));
  for (const offer of entry.offers) {
    const groupId = `times-${c.counselor_id}-${offer.kind}`;
    const build = (times, note) => timeChoices({
      id: groupId, legend: `${offerLabel(lists, offer)} with ${c.name}`, times, note,
      choose: async (start, group) => {
        const reply = await api(`intakes/${encodeURIComponent(reference)}/booking`, { method: "POST",
          body: { counselor_id: c.counselor_id, kind: offer.kind, start, time_zone: CLIENT_ZONE }, headers: { "X-Status-Token": token } });
        if (reply.status === 201) { await done(reply.body); return; }
        refused(reply, group, build);
      },
    });
    card.append(build(entry.openings[offer.kind] || []));
  }
  return card;
}

export function shortlistSection({ shortlist, lists, reference, token, done }) {
  return el("section", { class: "shortlist", "aria-labelledby": "shortlist-title" },
    el("h2", { id: "shortlist-title" }, "Choose your counselor"),
    el("p", {}, "These counselors fit what you told us best. Choose a time to book a free consult call or a first session: it is booked at once, and you can change or cancel it here."),
    el("p", { class: "muted", id: "zone-note" }, `Times are shown in your time zone: ${CLIENT_ZONE}.`),
    shortlist.fit_versus_wait ? el("p", { class: "why", id: "fit-versus-wait" }, shortlist.fit_versus_wait) : null,
    shortlist.entries.map((entry) => entryCard({ entry, lists, reference, token, done })));
}

// The booked first conversation, with Reschedule (times from the same counselor) and Cancel (confirmed).
export function bookingSection({ booking, lists, reference, token, openings, done }) {
  const headers = { "X-Status-Token": token };
  const path = `intakes/${encodeURIComponent(reference)}/booking`;
  const actions = el("div", { class: "actions" });
  const section = el("section", { class: "card booking", "aria-labelledby": "booking-title" },
    el("h2", { id: "booking-title" }, "Your first conversation"),
    el("p", {}, el("strong", {}, `${labelOf(lists, "MeetingKind", booking.kind)} with ${booking.counselor_name}`)),
    el("p", { id: "booked-time" }, `${when(booking.start)} (${booking.minutes} minutes, ${labelOf(lists, "ConversationFormat", booking.format).toLowerCase()})`),
    el("p", { class: "muted" }, `Shown in your time zone: ${CLIENT_ZONE}.`),
    actions);
  const reschedule = el("button", { type: "button", class: "secondary", onclick: async () => {
    reschedule.disabled = true;
    const times = await openings();
    const build = (list, note) => timeChoices({ id: "reschedule-times", legend: `Choose a new time with ${booking.counselor_name}`,
      times: list.filter((t) => new Date(t).getTime() !== new Date(booking.start).getTime()), note,
      choose: async (start, group) => {
        const reply = await api(path, { method: "PUT", body: { start, time_zone: CLIENT_ZONE }, headers });
        if (reply.ok) { await done("Your first conversation was moved.", reply.body); return; }
        refused(reply, group, build);
      } });
    section.querySelector("#reschedule-times")?.remove();
    actions.after(build(times));
    section.querySelector("#reschedule-times legend")?.scrollIntoView({ block: "nearest" });
  } }, "Reschedule");
  const cancel = el("button", { type: "button", class: "secondary", onclick: () => {
    cancel.disabled = true;
    const confirmBox = el("div", { class: "notice", role: "alertdialog", "aria-labelledby": "cancel-q", id: "cancel-confirm" },
      el("p", { id: "cancel-q" }, `Cancel your ${labelOf(lists, "MeetingKind", booking.kind).toLowerCase().replace(/^a /, "")} with ${booking.counselor_name} on ${when(booking.start)}?`),
      el("div", { class: "actions" },
        el("button", { type: "button", class: "danger", onclick: async (event) => {
          event.currentTarget.disabled = true;
          const reply = await api(path, { method: "DELETE", headers });
          if (reply.ok) { await done("Your first conversation was cancelled. You can choose another time or counselor below.", null); return; }
          confirmBox.append(el("p", { class: "field-error", role: "alert" }, reply.body?.message || "That didn't work. Please try again."));
          event.currentTarget.disabled = false;
        } }, "Yes, cancel it"),
        el("button", { type: "button", class: "secondary", onclick: () => { confirmBox.remove(); cancel.disabled = false; cancel.focus(); } }, "Keep it")));
    actions.after(confirmBox);
    confirmBox.querySelector("button").focus();
  } }, "Cancel");
  actions.append(reschedule, cancel);
  return section;
}

// The client's waitlist: join it for one counselor of the shortlist or for the first good fit, leave it, and
// claim a place held for them. `done(message, claimed)` redraws the page (claimed: now matched).
export function waitlistSection({ shortlist, reference, token, done }) {
  const headers = { "X-Status-Token": token };
  const path = `intakes/${encodeURIComponent(reference)}/waitlist`;
  const state = shortlist.waitlist;
  const names = new Map(shortlist.entries.map((e) => [e.counselor.counselor_id, e.counselor.name]));
  const section = el("section", { class: "card waitlist", "aria-labelledby": "waitlist-title", id: "waitlist" },
    el("h2", { id: "waitlist-title" }, state?.held_until ? "A place is held for you" : "The waitlist"));
  const problem = (reply) => {
    section.querySelector(".field-error")?.remove();
    section.append(el("p", { class: "field-error", role: "alert" }, reply.body?.message
      || (reply.status === 0 ? "We couldn't reach the service. Please try again." : "That didn't work. Please try again in a moment.")));
    for (const button of section.querySelectorAll("button")) button.disabled = false;
  };
  const act = (label, cls, send) => el("button", { type: "button", class: cls, onclick: async (event) => {
    const pressed = event.currentTarget;
    for (const button of section.querySelectorAll("button")) button.disabled = true;
    pressed.setAttribute("aria-busy", "true");
    const reply = await send();
    pressed.removeAttribute("aria-busy");
    if (!reply.ok) { problem(reply); return; }
    await done(reply);
  } }, label);
  const leave = (label) => act(label, "secondary", () => api(path, { method: "DELETE", headers }));
  if (state?.held_until) {
    const name = state.held_counselor_name || "a counselor on your shortlist";
    section.append(
      el("p", { id: "held-place" }, el("strong", {}, `${name} has a place for you.`),
        ` It is held for you until ${when(state.held_until)} (your time zone: ${CLIENT_ZONE}). After that it passes to the next person waiting.`),
      el("div", { class: "actions" },
        act("Take this place", null, () => api(`intakes/${encodeURIComponent(reference)}/waitlist-offer/claim`, { method: "POST", headers })),
        leave("No thanks, leave the waitlist")));
    return section;
  }
  if (state) {
    const whom = state.any_fit ? "the first good fit on your shortlist" : (names.get(state.counselor_ids[0]) || "your chosen counselor");
    section.append(
      el("p", { id: "waiting-for" }, `You're waiting for ${whom}, since ${when(state.joined_at)}. We'll email you when a place opens, and hold it for you.`),
      el("div", { class: "actions" }, leave("Leave the waitlist")));
    return section;
  }
  const join = (counselorId) => () => api(path, { method: "POST", body: { counselor_id: counselorId }, headers });
  section.append(
    el("p", {}, "No time that suits you? Wait for a place: when one opens, we email you and hold it for you."),
    el("div", { class: "actions" },
      shortlist.entries.map((e) => act(`Wait for ${e.counselor.name}`, "secondary", join(e.counselor.counselor_id))),
      act("Wait for the first good fit", "secondary", join(null))));
  return section;
}
