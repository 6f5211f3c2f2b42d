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
  await load(null);
}

start().catch(() => {
  clear(app).append(el("p", { class: "notice", role: "alert" }, "The directory could not load. Please reload the page."));
});
