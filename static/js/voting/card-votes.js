// @ts-check
// A scribe or the facilitator records the dots of a paper card's holder while the room votes:
// "+ dot" / "− dot" on each of the board's notes, with the server's answer (dots left, or why
// not) shown on the page. The budget and every rule are the server's.
import { allowedNow, api, ApiError, el, pageData } from "../core/common.js";
import { _, ngettext } from "../core/i18n.js";

const DATA = pageData();
const CARD = DATA.card;
const section = document.getElementById("card-votes");

function errorText(error) {
  return error instanceof ApiError ? error.message : _("No connection to the server. Try again.");
}

async function start() {
  let snapshot;
  try {
    ({ data: snapshot } = await api("GET", `/api/workshops/${CARD.workshop}/state`));
  } catch {
    return; // offline: the card can still be typed in
  }
  if (!allowedNow(snapshot.workshop).vote) return; // the server says whether dots are taken now
  const list = document.getElementById("card-votes-list");
  const left = document.getElementById("card-votes-left");
  const errorLine = document.getElementById("card-votes-error");
  const budget = snapshot.workshop.settings && snapshot.workshop.settings.votes_per_attendee;
  left.textContent = budget ? ngettext("The card holder has {n} dot in all.", "The card holder has {n} dots in all.", budget) : "";
  const notes = snapshot.notes.filter((note) => note.text && !note.hidden && !note.withdrawn && note.merged_into == null);
  const mineNodes = new Map();

  function showAnswer(data) {
    left.textContent = ngettext("{n} dot left for this card.", "{n} dots left for this card.", data.votes_left);
    for (const [id, node] of mineNodes) {
      const mine = (data.mine && data.mine[id]) || 0;
      node.textContent = mine ? ngettext("this card: {n} dot", "this card: {n} dots", mine) : "";
    }
  }

  async function vote(method, note) {
    errorLine.hidden = true;
    errorLine.textContent = "";
    try {
      const { data } = await api(method, `/api/notes/${note.id}/votes`, { card_code: CARD.code });
      showAnswer(data);
    } catch (error) {
      errorLine.textContent = errorText(error);
      errorLine.hidden = false;
    }
  }

  for (const note of notes) {
    const row = el("li", { class: "card-vote" });
    const mine = el("span", { class: "hint card-vote-mine" });
    mineNodes.set(String(note.id), mine);
    const add = el("button", { type: "button", class: "button small", "aria-label": _("+ dot: {text}", { text: note.text }) }, _("+ dot"));
    const take = el("button", { type: "button", class: "button small", "aria-label": _("− dot: {text}", { text: note.text }) }, _("− dot"));
    add.addEventListener("click", () => vote("POST", note));
    take.addEventListener("click", () => vote("DELETE", note));
    const buttons = el("span", { class: "card-vote-buttons" });
    buttons.append(add, take);
    row.append(el("p", { class: "card-vote-text" }, note.text), mine, buttons);
    list.append(row);
  }
  document.getElementById("card-votes-empty").hidden = notes.length > 0;
  section.hidden = false;
}

if (section) start();
