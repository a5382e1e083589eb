// Every selector static/js looks up matches an HTML element (the pages draw no SVG or MathML
// the scripts touch), so a lookup gives an HTMLElement: its dataset, hidden, focus() and so
// on need no cast at each call. An element of a particular kind (an input's value, a form's
// elements) is still cast where it is looked up: /** @type {HTMLInputElement} */ (…).
export {};

declare global {
  interface ParentNode {
    querySelector(selectors: string): HTMLElement | null;
    querySelectorAll(selectors: string): NodeListOf<HTMLElement>;
  }
  interface Element {
    closest(selectors: string): HTMLElement | null;
  }
  interface Window {
    webkitAudioContext?: typeof AudioContext; // Safari before 14.1
  }
}
