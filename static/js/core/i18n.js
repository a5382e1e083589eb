// @ts-check
// The page's words in its language. The server puts the catalogue in the page (the
// <script id="messages"> JSON: language, plural categories, messages), so nothing more is
// fetched. Strings are marked _("…") and ngettext("…", "…", n) for pybabel (domain "js");
// placeholders are {name}: _("{count} notes", { count }). English is the msgid itself.

function readCatalogue() {
  const node = document.getElementById("messages");
  try {
    return JSON.parse(node ? node.textContent : "") || {};
  } catch {
    return {};
  }
}

const CATALOGUE = readCatalogue();
const MESSAGES = CATALOGUE.messages || {};
const PLURAL_FORMS = CATALOGUE.plural || { one: 0, other: 1 }; // CLDR category -> form

export const LANG = CATALOGUE.lang || document.documentElement.lang || "en";

const plurals = new Intl.PluralRules(LANG);

function fill(text, params) {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

/** The message in the page's language, with {name} placeholders filled from params. */
export function _(msgid, params) {
  const text = MESSAGES[msgid];
  return fill(typeof text === "string" && text ? text : msgid, params);
}

/** Singular or plural by n (and by the language's own rules); {n} is filled with n. */
export function ngettext(singular, plural, n, params) {
  const forms = MESSAGES[singular];
  const values = { n: formatNumber(n), ...params };
  if (Array.isArray(forms)) {
    const index = PLURAL_FORMS[plurals.select(n)];
    const form = forms[index ?? forms.length - 1] || forms[forms.length - 1];
    return fill(form, values);
  }
  return fill(n === 1 ? singular : plural, values);
}

export function formatNumber(value) {
  return new Intl.NumberFormat(LANG).format(value);
}

/** A time of day ("14:05" or "2:05 PM") in the page's language. */
export function formatTime(value) {
  return new Intl.DateTimeFormat(LANG, { hour: "numeric", minute: "2-digit" }).format(new Date(value));
}

/** A date and time, medium length, in the page's language. */
export function formatDateTime(value) {
  return new Intl.DateTimeFormat(LANG, { dateStyle: "medium", timeStyle: "short" }).format(new Date(value));
}
