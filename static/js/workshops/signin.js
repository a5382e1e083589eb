// @ts-check
// The printed facilitator link's page: send its one-time ticket at once (by POST, so the
// ticket is never in an address the browser keeps). Without JavaScript, the button does it.
const form = /** @type {HTMLFormElement | null} */ (document.getElementById("sign-in"));
form?.requestSubmit();
