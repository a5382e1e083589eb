// @ts-check
// Put a freshly drawn board in place of the one on screen, keeping every element that did
// not change. board.js draws the whole board from its state on each change (simple, always
// right); this keeps that, but a note arriving on a 500-note board then costs the browser one
// new card's style and layout instead of 500, the columns keep their scroll, the focused card
// keeps the focus, and the drag-and-drop lists stay the same elements.
//
// Containers (columns, lists, groups) are kept and their children matched by key. A note
// card is kept only when it was drawn from the very same note object (board.js replaces a
// note's object whenever the server sends it again) in the same drawing context: anything
// else is taken new, listeners and all. Other elements are kept when identical.

const CONTAINERS = ".column, .column-notes, ol.notes, ol.group-notes, .prompt-group, li.group, .group-header";

export function morphChildren(parent, fresh, sameNote) {
  const old = new Map();
  const counts = new Map();
  for (const child of parent.childNodes) old.set(keyOf(child, counts), child);
  counts.clear();
  const result = fresh.map((node) => {
    const previous = old.get(keyOf(node, counts));
    return previous ? reuse(previous, node, sameNote) : node;
  });
  result.forEach((node, index) => {
    const current = parent.childNodes[index];
    if (current !== node) parent.insertBefore(node, current || null);
  });
  while (parent.childNodes.length > result.length) parent.lastChild.remove();
}

function keyOf(node, counts) {
  if (node.nodeType !== Node.ELEMENT_NODE) return counter(`#${node.nodeType}`, counts);
  const data = node.dataset;
  if (data.column !== undefined && node.classList.contains("column")) return `column:${data.column}`;
  if (data.noteId !== undefined) return `note:${data.noteId}`;
  if (data.groupId !== undefined && node.tagName === "LI") return `group:${data.groupId}`;
  return counter(`${node.tagName}.${node.classList[0] || ""}`, counts);
}

function counter(base, counts) {
  const n = counts.get(base) || 0;
  counts.set(base, n + 1);
  return `${base}:${n}`;
}

function reuse(previous, node, sameNote) {
  if (previous.nodeType !== node.nodeType) return node;
  if (node.nodeType !== Node.ELEMENT_NODE) {
    if (previous.nodeValue !== node.nodeValue) previous.nodeValue = node.nodeValue;
    return previous;
  }
  if (previous.tagName !== node.tagName) return node;
  if (node.dataset.noteId !== undefined) return sameNote(previous, node) ? previous : node;
  if (node.matches(CONTAINERS)) {
    syncAttributes(previous, node);
    morphChildren(previous, [...node.childNodes], sameNote);
    return previous;
  }
  return previous.isEqualNode(node) ? previous : node;
}

// Attributes as drawn now; inline styles through the CSSOM (a strict CSP forbids style="…").
// tabindex belongs to the screen (the keyboard's place in a column), not to the drawing.
const OWN = new Set(["style", "tabindex"]);
function syncAttributes(previous, node) {
  for (const { name, value } of node.attributes) {
    if (!OWN.has(name) && previous.getAttribute(name) !== value) previous.setAttribute(name, value);
  }
  for (const { name } of [...previous.attributes]) {
    if (!OWN.has(name) && !node.hasAttribute(name)) previous.removeAttribute(name);
  }
  for (const property of [...previous.style]) {
    if (!node.style.getPropertyValue(property)) previous.style.removeProperty(property);
  }
  for (const property of node.style) {
    const value = node.style.getPropertyValue(property);
    if (previous.style.getPropertyValue(property) !== value) previous.style.setProperty(property, value);
  }
}
