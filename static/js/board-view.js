// How the board is drawn on this screen: a zoom (the --board-zoom custom property) and a
// compact view, both kept in this browser's localStorage for the projector. They change
// nothing on the server, so public boards have them too (a small corner control).
import { el } from "./common.js";

const ZOOM_KEY = "workshop:board-zoom";
const COMPACT_KEY = "workshop:board-compact";
const ZOOM_MIN = 0.6;
const ZOOM_MAX = 2;
const ZOOM_STEP = 0.1;

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

export function setupView(ctx) {
  const { board } = ctx;
  let zoom = Number(load(ZOOM_KEY)) || 1;
  let compact = load(COMPACT_KEY) === "1";

  const compactButton = el("button", { type: "button", class: "button small quiet", id: "compact-toggle" }, "Compact");
  const zoomOut = el("button", { type: "button", class: "button small quiet", "aria-label": "Zoom out" }, "−");
  const zoomLevel = el("button", { type: "button", class: "button small quiet zoom-level", "aria-label": "Reset the zoom" });
  const zoomIn = el("button", { type: "button", class: "button small quiet", "aria-label": "Zoom in" }, "+");
  const tools = el("div", { class: "view-tools", role: "group", "aria-label": "View" });
  tools.append(compactButton, zoomOut, zoomLevel, zoomIn);

  function apply() {
    zoom = Math.round(Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, zoom)) * 10) / 10;
    board.style.setProperty("--board-zoom", String(zoom));
    board.classList.toggle("is-compact", compact);
    compactButton.setAttribute("aria-pressed", String(compact));
    zoomLevel.textContent = `${Math.round(zoom * 100)}%`;
    zoomOut.disabled = zoom <= ZOOM_MIN;
    zoomIn.disabled = zoom >= ZOOM_MAX;
    store(ZOOM_KEY, String(zoom));
    store(COMPACT_KEY, compact ? "1" : "0");
  }

  compactButton.addEventListener("click", () => {
    compact = !compact;
    apply();
  });
  zoomOut.addEventListener("click", () => {
    zoom -= ZOOM_STEP;
    apply();
  });
  zoomIn.addEventListener("click", () => {
    zoom += ZOOM_STEP;
    apply();
  });
  zoomLevel.addEventListener("click", () => {
    zoom = 1;
    apply();
  });

  if (ctx.toolbar) ctx.toolbar.append(tools);
  else {
    tools.classList.add("is-floating");
    document.body.append(tools);
  }
  apply();
}
