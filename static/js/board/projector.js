// @ts-check
// Projector mode: the high-contrast theme (a class on <html>, styled in projector.css) and
// the big QR screen, a full-screen <dialog> with the join QR code, the address and the
// workshop's code, for a room where the header's QR is too small to scan from the back.
// Both work on every board, the facilitator's and the public one (view.js adds the
// buttons and the keys).
import { el } from "../core/common.js";
import { _ } from "../core/i18n.js";

export const CONTRAST_CLASS = "theme-contrast";

export function showContrast(on) {
  document.documentElement.classList.toggle(CONTRAST_CLASS, on);
}

// The address may break after a slash, not inside a word ("…/j/" then "K3HG").
function address(url) {
  const line = el("p", { class: "big-qr-url" });
  url.split(/(?<=[^/]\/)(?=[^/])/).forEach((part, index) => {
    if (index) line.append(el("wbr"));
    line.append(part);
  });
  return line;
}

/** The big QR screen for ``workshop`` ({code, join_url}): open(returnTo) and isOpen(). */
export function bigQrScreen(workshop) {
  const code = workshop.code;
  const url = workshop.join_url || `${location.origin}/j/${code}`;
  const dialog = el("dialog", {
    class: "big-qr",
    id: "big-qr",
    "aria-labelledby": "big-qr-title",
    "aria-describedby": "big-qr-how",
  });
  const image = el("img", {
    class: "big-qr-image",
    src: `/w/${code}/join-qr.svg`,
    alt: _("QR code to join: {url}", { url }),
  });
  const text = el("div", { class: "big-qr-text" });
  text.append(
    el("h2", { class: "big-qr-title", id: "big-qr-title" }, _("Join on your phone")),
    el("p", { class: "big-qr-how", id: "big-qr-how" }, _("Scan with your phone's camera, or open the address")),
    address(url),
    el("p", { class: "big-qr-label" }, _("Workshop code")),
    el("p", { class: "big-qr-code" }, code),
  );
  const close = el("button", { type: "button", class: "button big-qr-close" }, _("Close"));
  const layout = el("div", { class: "big-qr-layout" });
  layout.append(image, text);
  dialog.append(layout, close);
  document.body.append(dialog);

  let returnTo = null;
  // A click anywhere closes it (the Close button too); Escape closes it (the dialog's own).
  dialog.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => {
    const target = returnTo;
    returnTo = null;
    if (target && target.isConnected) target.focus();
  });

  return {
    open(from) {
      if (dialog.open) return;
      returnTo = from || null;
      dialog.showModal();
      close.focus();
    },
    close() {
      if (dialog.open) dialog.close();
    },
    isOpen: () => dialog.open,
    dialog,
  };
}
