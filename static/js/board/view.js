// @ts-check
// How the board is drawn on this screen: the text size (the --board-zoom custom property),
// a compact view and a high-contrast theme, all kept in this browser's localStorage for the
// projector, and the big QR screen (projector.js). They change nothing on the server,
// so public boards have them too (a small corner control).
// Keys, wherever the focus is but in a field (and a focused card keeps its own keys,
// keys.js): + or = larger text, - smaller, 0 the usual size, C high contrast, Q the
// big QR screen. Each button's title says its key.
import { el, pageData } from "../core/common.js";
import { _ } from "../core/i18n.js";
import { bigQrScreen, showContrast } from "./projector.js";

const ZOOM_KEY = "workshop:board-zoom";
const COMPACT_KEY = "workshop:board-compact";
const CONTRAST_KEY = "workshop:board-contrast";
const ZOOM_MIN = 0.6;
const ZOOM_MAX = 2;
const ZOOM_STEP = 0.1;
const TYPING = "input, textarea, select, [contenteditable]:not([contenteditable='false'])";

function load(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage refused (private mode): the view just is not remembered
  }
}

function store(key, value) {
  try {
    localStorage.setItem(key, value);
  } catch {
    /* not remembered */
  }
}

// The key in the button's tooltip, and for assistive technology (aria-keyshortcuts).
function withKey(button, action, key, shortcuts) {
  button.title = _("{action} (key: {key})", { action, key });
  button.setAttribute("aria-keyshortcuts", shortcuts);
}

/** @param {import("./sort.js").SortContext} ctx */
export function setupView(ctx) {
  const { board } = ctx;
  let zoom = Number(load(ZOOM_KEY)) || 1;
  let compact = load(COMPACT_KEY) === "1";
  let contrast = load(CONTRAST_KEY) === "1";
  showContrast(contrast); // before the first drawing of the notes

  const button = (attributes, text) => el("button", { type: "button", class: "button small quiet", ...attributes }, text);
  const compactButton = button({ id: "compact-toggle" }, _("Compact"));
  const zoomOut = button({ id: "text-smaller", "aria-label": _("Smaller text") }, "A−");
  const zoomLevel = button({ id: "text-size", class: "button small quiet zoom-level", "aria-label": _("Reset the text size") });
  const zoomIn = button({ id: "text-larger", "aria-label": _("Larger text") }, "A+");
  const contrastButton = button({ id: "contrast-toggle" }, _("High contrast"));
  const qrButton = button({ id: "big-qr-button" }, _("Big QR"));
  withKey(zoomOut, _("Smaller text"), "-", "Minus");
  withKey(zoomLevel, _("Reset the text size"), "0", "0");
  withKey(zoomIn, _("Larger text"), "+", "Plus Equal"); // i18n: not shown (key names)
  withKey(contrastButton, _("High contrast"), "C", "C");
  withKey(qrButton, _("The QR code to join, on the whole screen"), "Q", "Q");
  const tools = el("div", { class: "view-tools", role: "group", "aria-label": _("View") });
  tools.append(compactButton, zoomOut, zoomLevel, zoomIn, contrastButton, qrButton);

  const qr = bigQrScreen(pageData().workshop); // its code and join address never change

  function apply() {
    zoom = Math.round(Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, zoom)) * 10) / 10;
    board.style.setProperty("--board-zoom", String(zoom));
    board.classList.toggle("is-compact", compact);
    showContrast(contrast);
    compactButton.setAttribute("aria-pressed", String(compact));
    contrastButton.setAttribute("aria-pressed", String(contrast));
    zoomLevel.textContent = `${Math.round(zoom * 100)}%`;
    zoomOut.disabled = zoom <= ZOOM_MIN;
    zoomIn.disabled = zoom >= ZOOM_MAX;
    store(ZOOM_KEY, String(zoom));
    store(COMPACT_KEY, compact ? "1" : "0");
    store(CONTRAST_KEY, contrast ? "1" : "0");
  }

  const resize = (delta) => {
    zoom = delta ? zoom + delta : 1;
    apply();
  };
  const toggleContrast = () => {
    contrast = !contrast;
    apply();
  };

  compactButton.addEventListener("click", () => {
    compact = !compact;
    apply();
  });
  zoomOut.addEventListener("click", () => resize(-ZOOM_STEP));
  zoomIn.addEventListener("click", () => resize(ZOOM_STEP));
  zoomLevel.addEventListener("click", () => resize(0));
  contrastButton.addEventListener("click", toggleContrast);
  qrButton.addEventListener("click", () => qr.open(qrButton));

  const KEYS = {
    "+": () => resize(ZOOM_STEP),
    "=": () => resize(ZOOM_STEP),
    "-": () => resize(-ZOOM_STEP),
    0: () => resize(0),
    c: toggleContrast,
    q: () => {
      const active = document.activeElement;
      qr.open(active && active !== document.body ? active : qrButton);
    },
  };
  document.addEventListener("keydown", (event) => {
    // Keys a card, a field or another module has taken (keys.js: 0 on a picked card
    // moves it to Unsorted) stay theirs; so do shortcuts with Ctrl, Alt or Cmd.
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    const target = event.target;
    if (target instanceof Element && target.closest(TYPING)) return;
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    if (qr.isOpen()) {
      if (key === "q") {
        event.preventDefault();
        qr.close();
      }
      return;
    }
    if (document.querySelector("dialog[open]")) return; // another screen is over the board
    const action = KEYS[key];
    if (!action) return;
    event.preventDefault();
    action();
  });

  if (ctx.toolbar) ctx.toolbar.append(tools);
  else {
    tools.classList.add("is-floating");
    document.body.append(tools);
  }
  apply();
}
