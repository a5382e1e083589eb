// @ts-check
// Shared by the card sort and the plan check, on the board and on phones: the plan check's
// ratings and how a share is written.
import { _, LANG } from "../core/i18n.js";

// A share (0…1) as a whole percentage in the page's language: "67%", or "67 %" in Spanish.
const PERCENT = new Intl.NumberFormat(LANG, { style: "percent", maximumFractionDigits: 0 });

export function percent(share) {
  return PERCENT.format(Math.round((share || 0) * 100) / 100);
}

export const RATINGS = [
  { value: "workable", label: _("Workable") },
  { value: "needs-changes", label: _("Needs changes") },
  { value: "not-workable", label: _("Not workable") },
];
