// The client's shortlist on their status page, and the first conversation they book from it: choose a time
// (it books it), reschedule, cancel. Times are shown in the client's own time zone, named; the API takes
// and returns UTC instants. Nothing here is built from markup: every node is made with el().
import { api, el, labelOf, labelsOf, lang, t } from "./common.js";
import { dateTime, list, markLanguage } from "./i18n.js";

export const CLIENT_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
const TIME = {
  weekday: "long", month: "long", day: "numeric", hour: "numeric", minute: "2-digit", timeZoneName: "short", timeZone: CLIENT_ZONE,
};

export function when(iso) {
  return dateTime(iso, TIME);
}

// Each status's words are the catalog's wish.<status>.
const MARKS = { met: ["mark-met", "✓"], partly_met: ["mark-partly", "◐"], not_met: ["mark-not", "✗"] };

function wishList(wishes) {
  return el("ul", { class: "wishes" }, wishes.map((w) => {
    const [cls, symbol] = MARKS[w.status];
    return el("li", {},
      el("span", { class: `mark ${cls}`, "aria-hidden": "true" }, symbol), " ",
      t(w.must_have ? "wish.must_have" : "wish.topic", { topic: w.topic }), " ", el("strong", {}, t(`wish.${w.status}`)));
  }));
}

function lower(text) {
  return text.toLocaleLowerCase(lang);
}

function offerLabel(lists, offer) {
  return t("offer", { kind: labelOf(lists, "MeetingKind", offer.kind), n: offer.minutes, format: lower(labelOf(lists, "ConversationFormat", offer.format)) });
}

// A group of time buttons; choosing one calls `choose(start)`. `note` (an alert) says why the times changed.
export function timeChoices({ id, legend, times, choose, note }) {
  const group = el("fieldset", { class: "times", id }, el("legend", {}, legend));
  if (note) group.append(el("p", { class: "notice", role: "alert" }, note));
  if (!times.length) {
    group.append(el("p", {}, t("times.none")));
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
    group.replaceWith(rebuild(reply.body.openings, t("times.taken", { message: reply.body.message })));
    return;
  }
  for (const button of group.querySelectorAll("button")) button.disabled = false;
  group.querySelector(".field-error")?.remove();
  const message = reply.body?.detail?.[0]?.msg || reply.body?.message
    || t(reply.status === 0 ? "problem.unreachable" : "problem.failed");
  group.append(el("p", { class: "field-error", role: "alert" }, message));
}

// `written`: the language the stored reasons are in (the intake's), marked when it is not the page's.
function entryCard({ entry, lists, reference, token, done, written }) {
  const c = entry.counselor;
  const headingId = `choice-${c.counselor_id}`;
  const card = el("article", { class: "card shortlist-entry", "aria-labelledby": headingId },
    el("h3", { id: headingId }, c.name, c.pronouns ? el("span", { class: "muted" }, ` (${c.pronouns})`) : null),
    el("p", { class: "muted" }, [c.credentials.join(", "), list(labelsOf(lists, "Language", c.languages))].join(" · ")),
    entry.alternative ? el("p", { class: "notice" }, el("strong", {}, t("shortlist.not_every")), " ",
      markLanguage(el("span", {}, entry.relaxed || ""), written)) : null,
    c.concerns_primary.length ? el("p", {}, t("shortlist.specialties", { items: list(labelsOf(lists, "Concern", c.concerns_primary)) })) : null,
    c.approaches.length ? el("p", {}, t("shortlist.approaches", { items: list(labelsOf(lists, "Approach", c.approaches)) })) : null,
    c.bio ? el("details", {}, el("summary", {}, t("shortlist.more_about", { name: c.name })), markLanguage(el("p", {}, c.bio), "en"),
      el("p", {}, el("a", { class: "block-link", href: `directory#${c.counselor_id}` }, t("shortlist.full_profile")))) : null,
    el("h4", {}, t("shortlist.fit")),
    wishList(entry.wishes),
    entry.reasons.length ? markLanguage(el("ul", { class: "reasons" }, entry.reasons.map((r) => el("li", {}, r))), written) : null,
    el("h4", {}, t("shortlist.cost")),
    entry.cost ? el("p", { class: "cost" }, entry.cost.summary) : el("p", {}, t("shortlist.cost.ask")),
    entry.cost?.to_check ? el("p", { class: "muted" }, entry.cost.to_check) : null,
    el("h4", {}, t("shortlist.book")));
  if (!entry.offers.length) card.append(el("p", {}, t("shortlist.no_offers", { name: c.name })));
  for (const offer of entry.offers) {
    const groupId = `times-${c.counselor_id}-${offer.kind}`;
    const build = (times, note) => timeChoices({
      id: groupId, legend: t("offer.with", { offer: offerLabel(lists, offer), name: c.name }), times, note,
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

export function shortlistSection({ shortlist, lists, reference, token, done, written = "en" }) {
  return el("section", { class: "shortlist", "aria-labelledby": "shortlist-title" },
    el("h2", { id: "shortlist-title" }, t("shortlist.title")),
    el("p", {}, t("shortlist.intro")),
    el("p", { class: "muted", id: "zone-note" }, t("shortlist.zone", { zone: CLIENT_ZONE })),
    shortlist.fit_versus_wait ? el("p", { class: "why", id: "fit-versus-wait" }, shortlist.fit_versus_wait) : null,
    shortlist.entries.map((entry) => entryCard({ entry, lists, reference, token, done, written })));
}

// The booked first conversation, with Reschedule (times from the same counselor) and Cancel (confirmed).
export function bookingSection({ booking, lists, reference, token, openings, done }) {
  const headers = { "X-Status-Token": token };
  const path = `intakes/${encodeURIComponent(reference)}/booking`;
  const actions = el("div", { class: "actions" });
  const section = el("section", { class: "card booking", "aria-labelledby": "booking-title" },
    el("h2", { id: "booking-title" }, t("booking.title")),
    el("p", {}, el("strong", {}, t("booking.with", { kind: labelOf(lists, "MeetingKind", booking.kind), name: booking.counselor_name }))),
    el("p", { id: "booked-time" }, t("booking.time", { when: when(booking.start), n: booking.minutes,
      format: lower(labelOf(lists, "ConversationFormat", booking.format)) })),
    el("p", { class: "muted" }, t("booking.zone", { zone: CLIENT_ZONE })),
    actions);
  const reschedule = el("button", { type: "button", class: "secondary", onclick: async () => {
    reschedule.disabled = true;
    const times = await openings();
    const build = (open, note) => timeChoices({ id: "reschedule-times", legend: t("booking.new_time", { name: booking.counselor_name }),
      times: open.filter((time) => new Date(time).getTime() !== new Date(booking.start).getTime()), note,
      choose: async (start, group) => {
        const reply = await api(path, { method: "PUT", body: { start, time_zone: CLIENT_ZONE }, headers });
        if (reply.ok) { await done(t("booking.moved"), reply.body); return; }
        refused(reply, group, build);
      } });
    section.querySelector("#reschedule-times")?.remove();
    actions.after(build(times));
    section.querySelector("#reschedule-times legend")?.scrollIntoView({ block: "nearest" });
  } }, t("booking.reschedule"));
  const cancel = el("button", { type: "button", class: "secondary", onclick: () => {
    cancel.disabled = true;
    const confirmBox = el("div", { class: "notice", role: "alertdialog", "aria-labelledby": "cancel-q", id: "cancel-confirm" },
      el("p", { id: "cancel-q" }, t(`booking.cancel_question.${booking.kind}`, { name: booking.counselor_name, when: when(booking.start) })),
      el("div", { class: "actions" },
        el("button", { type: "button", class: "danger", onclick: async (event) => {
          event.currentTarget.disabled = true;
          const reply = await api(path, { method: "DELETE", headers });
          if (reply.ok) { await done(t("booking.cancelled"), null); return; }
          confirmBox.append(el("p", { class: "field-error", role: "alert" }, reply.body?.message || t("problem.again")));
          event.currentTarget.disabled = false;
        } }, t("booking.cancel_yes")),
        el("button", { type: "button", class: "secondary", onclick: () => { confirmBox.remove(); cancel.disabled = false; cancel.focus(); } }, t("booking.keep"))));
    actions.after(confirmBox);
    confirmBox.querySelector("button").focus();
  } }, t("booking.cancel"));
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
    el("h2", { id: "waitlist-title" }, t(state?.held_until ? "waitlist.held" : "waitlist.title")));
  const problem = (reply) => {
    section.querySelector(".field-error")?.remove();
    section.append(el("p", { class: "field-error", role: "alert" }, reply.body?.message
      || t(reply.status === 0 ? "problem.unreachable" : "problem.failed")));
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
    const held = state.held_counselor_name
      ? t("waitlist.held.named", { name: state.held_counselor_name }) : t("waitlist.held.someone");
    section.append(
      el("p", { id: "held-place" }, el("strong", {}, held), " ",
        t("waitlist.held.until", { when: when(state.held_until), zone: CLIENT_ZONE })),
      el("div", { class: "actions" },
        act(t("waitlist.take"), null, () => api(`intakes/${encodeURIComponent(reference)}/waitlist-offer/claim`, { method: "POST", headers })),
        leave(t("waitlist.decline"))));
    return section;
  }
  if (state) {
    const whom = state.any_fit ? t("waitlist.any_fit") : (names.get(state.counselor_ids[0]) || t("waitlist.chosen"));
    section.append(
      el("p", { id: "waiting-for" }, t("waitlist.waiting", { whom, when: when(state.joined_at) })),
      el("div", { class: "actions" }, leave(t("waitlist.leave"))));
    return section;
  }
  const join = (counselorId) => () => api(path, { method: "POST", body: { counselor_id: counselorId }, headers });
  section.append(
    el("p", {}, t("waitlist.intro")),
    el("div", { class: "actions" },
      shortlist.entries.map((e) => act(t("waitlist.wait_for", { name: e.counselor.name }), "secondary", join(e.counselor.counselor_id))),
      act(t("waitlist.wait_any"), "secondary", join(null))));
  return section;
}
