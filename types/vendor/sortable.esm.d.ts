// What static/js uses of SortableJS. The vendored library (static/vendor/sortable.esm.js,
// copied from npm by hatch_build.py, with this file beside it) is plain JavaScript without
// types: tsc reads this declaration in its place, so the library itself is not type-checked.
export interface SortableEvent {
  item: HTMLElement;
  from: HTMLElement;
  to: HTMLElement;
  related: HTMLElement;
  relatedRect: DOMRect;
  oldDraggableIndex: number;
  newDraggableIndex: number;
}

export default class Sortable {
  constructor(element: HTMLElement, options: Record<string, unknown>);
  static get(element: HTMLElement): Sortable | undefined;
  el: HTMLElement;
  option(name: string, value: unknown): void;
  destroy(): void;
}
