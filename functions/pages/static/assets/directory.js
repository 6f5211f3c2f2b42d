// The public directory: the team's public profiles, a page at a time.
import { api, clear, config, el, setPracticeName, vocabulary } from "./common.js";
import { profileCard } from "./profile.js";

const app = document.getElementById("app");
let lists;
let list;
let more;

async function load(cursor) {
  const reply = await api(`counselors?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
  if (!reply.ok) {
    app.append(el("p", { class: "notice", role: "alert" }, "We couldn't load the directory. Please try again."));
    return;
  }
  const first = list.childElementCount;
  for (const counselor of reply.body.items) list.append(el("li", {}, profileCard(counselor, lists, "h2")));
  more.hidden = !reply.body.next;
  more.onclick = () => load(reply.body.next);
  if (cursor && list.children[first]) list.children[first].querySelector("h2").setAttribute("tabindex", "-1");
  if (cursor && list.children[first]) list.children[first].querySelector("h2").focus();
}

async function start() {
  const [settings, vocabularyLists] = await Promise.all([config(), vocabulary()]);
  setPracticeName(settings.practiceName);
  lists = vocabularyLists;
  list = el("ul", { class: "plain", "aria-label": "Counselors" });
  more = el("button", { type: "button", class: "secondary", hidden: true }, "Show more counselors");
  clear(app).append(list, el("div", { class: "actions" }, more));
  const wanted = decodeURIComponent(location.hash.slice(1));
  if (/^c-[a-z0-9]{6,32}$/.test(wanted)) {
    // A link to one counselor (for example from a "you're matched" email): their profile first.
    const reply = await api(`counselors/${encodeURIComponent(wanted)}`);
    if (reply.ok) {
      const card = profileCard(reply.body, lists, "h2");
      app.prepend(el("section", { "aria-label": "The counselor in your link" }, card), el("h2", {}, "The whole team"));
      card.querySelector("h2").setAttribute("tabindex", "-1");
      card.querySelector("h2").focus();
    }
  }
  await load(null);
}

start().catch(() => {
  clear(app).append(el("p", { class: "notice", role: "alert" }, "The directory could not load. Please reload the page."));
});
