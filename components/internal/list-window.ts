import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { cssZoom } from './popup-position.js';

/** Rows rendered beyond the visible ones on each side, so a fast scroll or a keyboard move shows no gap. */
const OVERSCAN = 5;

/** The host: an element whose `open` says whether its list is shown. */
type ListWindowHost = ReactiveControllerHost & { readonly renderRoot: HTMLElement | DocumentFragment; readonly open: boolean };

/**
 * Renders only a window of a long list of fixed-height options (hand-written:
 * fixed-height rows need far less than @lit-labs/virtualizer, see
 * BENCHMARKS.md, "Picker internals"): a spacer (`.spacer`) as tall as all rows keeps the
 * scrollbar true, and only the rows in view plus OVERSCAN on each side are
 * rendered, each placed at `index × height` with `translateY`, through the
 * CSSOM, not a style attribute (Lit's styleMap writes one on first render), so
 * host pages with a strict Content-Security-Policy (`style-src 'self'`) need
 * no 'unsafe-inline'. It also scrolls the active option into view when it or
 * the list changes. Add the object as the listbox's `scroll` listener.
 */
export class ListWindow implements ReactiveController {
  readonly #host: ListWindowHost;
  /** The active option's index, -1 for none: always rendered, so `aria-activedescendant` resolves. */
  readonly #active: () => number;
  /** An option's height in pixels before one is measured. */
  readonly #estimate: () => number;
  /** How tall the list may grow (the popup's `max-height`, read as it opens): the window renders that many rows. */
  #heightLimit = 320;
  /** The height of one option as measured in the open list (0: not yet, `rowHeight()` stands in). */
  #measured = 0;
  /** The first row scrolled into view in the listbox (its `scrollTop` in rows). */
  #scrollRow = 0;
  /** The listbox's `scrollTop` as its last scroll event left it (CSS px; 0 while closed: a hidden list forgets its scroll). */
  #scrollTop = 0;
  /** The indices of the rows rendered last, in DOM order. */
  #rows: number[] = [];
  /** The active option and list last scrolled into view: reveal again only when one changes. */
  #revealedIndex = -1;
  #revealedList: readonly unknown[] = [];
  /** The list rendered last. */
  #list: readonly unknown[] = [];
  /** Passive: the window never cancels the scroll. */
  readonly passive = true;

  constructor(host: ListWindowHost, active: () => number, estimate: () => number) {
    (this.#host = host).addController(this);
    this.#active = active;
    this.#estimate = estimate;
  }

  get #rowHeight(): number {
    return this.#measured || this.#estimate();
  }

  #find(selector: string): HTMLElement | null {
    return this.#host.renderRoot.querySelector<HTMLElement>(selector);
  }

  /** The listbox scrolled: render the rows now in view. */
  handleEvent(event: Event): void {
    this.#scrollTop = (event.currentTarget as HTMLElement).scrollTop;
    const row = Math.floor(this.#scrollTop / this.#rowHeight);
    if (row !== this.#scrollRow) {
      this.#scrollRow = row;
      this.#host.requestUpdate();
    }
  }

  /**
   * The rows of `list` to render: those the listbox can show from the
   * scrolled-to row on (at its tallest), OVERSCAN more on each side, and the
   * active option wherever it is. Render them inside `.spacer`, in this order.
   */
  rows(list: readonly unknown[]): number[] {
    const count = (this.#list = list).length;
    const visible = Math.ceil(this.#heightLimit / this.#rowHeight);
    // After a filter the listbox scrolls back into range; the window does not wait for it.
    const first = Math.min(this.#scrollRow, Math.max(0, count - visible));
    const start = Math.max(0, first - OVERSCAN);
    const end = Math.min(count, first + visible + OVERSCAN);
    const rows = Array.from({ length: end - start }, (_, i) => start + i);
    const active = this.#active();
    // The active option stays rendered when scrolled out of the window, so aria-activedescendant always names a node.
    if (active >= 0 && active < count) {
      if (active < start) rows.unshift(active);
      else if (active >= end) rows.push(active);
    }
    return (this.#rows = rows);
  }

  hostUpdate(): void {
    if (!this.#host.open) this.#scrollRow = this.#scrollTop = 0;
    else if (this.#revealedIndex < 0) this.#heightLimit = parseFloat(getComputedStyle(this.#find('[part~="popup"]')!).maxHeight) || 320;
  }

  hostUpdated(): void {
    this.#layout();
    const active = this.#active();
    const list = this.#list;
    if (!this.#host.open) this.#revealedIndex = -1;
    else if (active >= 0 && (active !== this.#revealedIndex || list !== this.#revealedList)) {
      this.#revealedIndex = active;
      this.#revealedList = list;
      // The row at the very top of the scroll is in view without asking the layout: typing filters
      // the list and makes its first row active, and reading rects then would force a second
      // layout into every keystroke.
      if (active * this.#rowHeight !== this.#scrollTop) this.#reveal();
    }
  }

  /** Sizes the spacer and places the rendered rows; the first rendered option gives the row height. */
  #layout(): void {
    const spacer = this.#find('.spacer');
    const options = spacer?.children as HTMLCollectionOf<HTMLElement> | undefined;
    if (!spacer || !options?.length) return;
    // Measured once per element, in the shown popup.
    // In CSS pixels: the rect is in the viewport's, which CSS `zoom` around the picker scales.
    if (!this.#measured) this.#measured = options[0]!.getBoundingClientRect().height / cssZoom(options[0]!);
    const height = this.#rowHeight;
    spacer.style.height = `${this.#list.length * height}px`;
    this.#rows.forEach((index, i) => options[i] && (options[i].style.transform = `translateY(${index * height}px)`));
  }

  /**
   * Scrolls the listbox (never the page, as `scrollIntoView` may) just enough
   * to show the active option, which is always rendered; the scroll event then
   * moves the window there.
   */
  #reveal(): void {
    const listbox = this.#find('[role="listbox"]');
    const option = this.#find('[part~="option--active"]');
    if (!listbox || !option) return;
    const o = option.getBoundingClientRect();
    const l = listbox.getBoundingClientRect();
    const zoom = cssZoom(listbox);
    if (o.top < l.top) listbox.scrollTop += (o.top - l.top) / zoom;
    else if (o.bottom > l.bottom) listbox.scrollTop += (o.bottom - l.bottom) / zoom;
  }
}
