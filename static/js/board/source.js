// @ts-check
// Where a note came from — a phone, a paper card (typed in by a scribe), the facilitator, or
// online after the session — shown on the board as a small label, with the photo of a
// handwritten card as a thumbnail, and counted by channel in the board's header.
import { el } from "../core/common.js";
import { _, ngettext } from "../core/i18n.js";

export const CHANNELS = ["phone", "paper", "facilitator", "online"];
export const CHANNEL_TEXT = { phone: _("phone"), paper: _("paper card"), facilitator: _("facilitator"), online: _("online") };

export function channelOf(note) {
  if (note.online) return "online";
  return CHANNELS.includes(note.source) ? note.source : "phone";
}

// The label for a note's meta line.
export function sourceLabel(note) {
  const channel = channelOf(note);
  return el("span", { class: `source source-${channel}` }, CHANNEL_TEXT[channel]);
}

// The photo of a handwritten card, small; a click opens it whole (for the facilitator).
export function photoThumb(note) {
  const src = `/photos/${encodeURIComponent(note.photo)}`;
  const link = el("a", { class: "note-photo", href: src, target: "_blank", rel: "noopener" });
  link.append(el("img", { src, alt: _("Photo of the handwritten card"), loading: "lazy" }));
  return link;
}

// How many notes came by each channel, as the board's header says it: these count notes,
// and say so (the phones that joined are counted apart; docs/numbers.md).
const CHANNEL_COUNT = {
  phone: (n) => ngettext("{n} note by phone", "{n} notes by phone", n),
  paper: (n) => ngettext("{n} note on a paper card", "{n} notes on paper cards", n),
  facilitator: (n) => ngettext("{n} from the facilitator", "{n} from the facilitator", n),
  online: (n) => ngettext("{n} online", "{n} online", n),
};

// ["12 notes by phone", "3 notes on paper cards", "1 online"] for the notes the room sees.
export function channelCounts(notes) {
  const counts = new Map(CHANNELS.map((channel) => [channel, 0]));
  for (const note of notes) {
    if (note.hidden || note.blind || note.source === undefined) continue;
    counts.set(channelOf(note), counts.get(channelOf(note)) + 1);
  }
  return CHANNELS.filter((channel) => counts.get(channel)).map((channel) => CHANNEL_COUNT[channel](counts.get(channel)));
}

export function showChannelCounts(notes) {
  const node = document.getElementById("count-channels");
  if (node) node.textContent = channelCounts(notes).join("\n"); // one a line (white-space: pre-line)
}
