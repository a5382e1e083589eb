// @ts-check
// The closing screen: thanks, and the one QR code the room needs now, the summary page's
// ("what we heard, what we will do"). The header's join code steps aside while it shows
// (room.css), so nobody scans the wrong one.
import { bus, TOPIC } from "../core/bus.js";
import { el } from "../core/common.js";
import { _ } from "../core/i18n.js";

/** @param {import("./board-room.js").Room} room */
export function setupClosing(room) {
  const root = el("div", { class: "closed-view" });
  room.addView("closed", {
    label: _("Closing"),
    root,
    // Once the room has closed, or before, when the facilitator projects it.
    available: () => room.workshop.phase === "closed" || room.chosen === "closed",
  });

  function summaryUrl() {
    const join = room.workshop.join_url || `${location.origin}/j/${room.code}`;
    return join.replace(/\/j\/[^/]+$/, `/w/${room.code}/summary`);
  }

  let drawn = false;
  function draw() {
    drawn = true;
    const url = summaryUrl();
    const qr = el("img", { class: "closed-qr", src: `/w/${room.code}/summary-qr.svg`, alt: _("QR code: {url}", { url }) });
    const text = el("div", { class: "closed-text" });
    text.append(
      el("h2", {}, _("Thank you for taking part")),
      el("p", { class: "closed-lead" }, _("What we heard, and what we will do about it:")),
      el("a", { class: "closed-link", href: `/w/${room.code}/summary`, id: "summary-link" }, url),
    );
    const figure = el("figure", { class: "closed-figure" });
    figure.append(qr, el("figcaption", { class: "closed-qr-caption" }, _("Scan to read what we heard and what we will do")));
    root.replaceChildren(text, figure);
  }
  bus.on(TOPIC.roomDrawn, () => {
    if (!drawn && !root.hidden) draw();
  });
}
