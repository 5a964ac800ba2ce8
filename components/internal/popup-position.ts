import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** The gap between the anchor and the popup, and the margin kept to the viewport's edges (px). */
const GAP = 4;
const MARGIN = 8;
/** The popup's height limits: it shrinks to the room there is, but never below MIN_HEIGHT nor above MAX_HEIGHT. */
const MIN_HEIGHT = 120;
const MAX_HEIGHT = 320;

/** What the popup controller reads from its host after each update. */
export interface PopupHost extends ReactiveControllerHost, HTMLElement {
  /** Whether the popup should be shown now. */
  readonly open: boolean;
}

/**
 * Shows a popover (in the top layer, so no `overflow: hidden` ancestor clips
 * it) while the host is `open`, and keeps it under its anchor: below, or above
 * when its content does not fit below and there is more room above; as wide
 * as the anchor; never taller than the room on its side allows.
 *
 * Hand-written on purpose (one placement, `position: fixed` from
 * `getBoundingClientRect()`, is all the pickers need; Floating UI's weight is in
 * BENCHMARKS.md, "Picker internals").
 * Placement runs after every host update while open (it opened, the list
 * was filtered, a chip made the field taller), on every scroll (any
 * scroller of the page: `window` listener with `capture: true`) and resize.
 * Scroll events do not leave a shadow tree, so a scroller inside a host app's
 * shadow DOM (a workflow builder's drawer, a dialog's body) is heard through a
 * capturing listener on each shadow root above the picker as well. Styles go
 * through the CSSOM only, which a strict `style-src` CSP allows.
 *
 * Under CSS `zoom` on the host or an ancestor, rects are in the viewport's
 * pixels while the popup's own lengths are multiplied by its effective zoom
 * (`currentCSSZoom`): every length is converted between the two.
 */
export class PopupController implements ReactiveController {
  /** Where scrolls are listened for while shown: the window and the shadow roots above the picker's own. */
  #scrollTargets: EventTarget[] = [];
  readonly #onViewportChange = () => this.place();
  /** The stylesheet's limit may be in viewport units: measured again. */
  readonly #onResize = () => {
    this.#measureAgain = true;
    this.place();
  };
  readonly #host: PopupHost;
  readonly #anchor: () => HTMLElement | null;
  readonly #popup: () => HTMLElement | null;
  /** The stylesheet's `max-height` of the popup in viewport pixels, as read when it was last measured unconstrained. */
  #limit = MAX_HEIGHT;
  /** The next placement lifts the limit and measures the content (see place()). */
  #measureAgain = true;

  constructor(host: PopupHost, anchor: () => HTMLElement | null, popup: () => HTMLElement | null) {
    (this.#host = host).addController(this);
    this.#anchor = anchor;
    this.#popup = popup;
  }

  /** Shown before the host renders, so the list renders (and its rows are measured) in the visible popup. */
  hostUpdate(): void {
    const popup = this.#popup();
    const anchor = this.#anchor();
    if (!popup || !anchor) return;
    const shown = popup.matches(':popover-open');
    if (this.#host.open && this.#host.isConnected) {
      if (shown) return;
      // Measured afresh at each opening (the host may have changed the stylesheet's limit meanwhile): see place().
      this.#measureAgain = true;
      popup.showPopover();
      this.#listen(anchor, popup);
    } else if (shown) {
      this.hostDisconnected();
      popup.hidePopover();
    }
  }

  /** Placed after every update (controllers added before this one have laid out the content). */
  hostUpdated(): void {
    this.place();
  }

  hostDisconnected(): void {
    for (const target of this.#scrollTargets) target.removeEventListener('scroll', this.#onViewportChange, { capture: true });
    removeEventListener('resize', this.#onResize);
    this.#scrollTargets = [];
  }

  #listen(anchor: HTMLElement, popup: HTMLElement): void {
    this.hostDisconnected();
    this.#scrollTargets = [window, ...shadowRootsAbove(anchor, popup)];
    for (const target of this.#scrollTargets) target.addEventListener('scroll', this.#onViewportChange, { capture: true, passive: true });
    addEventListener('resize', this.#onResize, { passive: true });
  }

  /** Places the shown popup again. */
  place(): void {
    const anchor = this.#anchor();
    const popup = this.#popup();
    if (!anchor || !popup?.matches(':popover-open')) return;
    const zoom = cssZoom(popup);
    const style = popup.style;
    const px = (viewportPixels: number) => `${viewportPixels / zoom}px`;
    // Both rects come from one layout; the popup's own is its content's height unless the
    // height this placement set last cut it short (or a new width rewraps it): only then is
    // the limit lifted and the popup measured again, a second layout (most updates, such as
    // typing that shortens the list, need just the one).
    const a = anchor.getBoundingClientRect();
    let wanted = popup.getBoundingClientRect().height;
    const { clientWidth, clientHeight } = document.documentElement;
    if (this.#measureAgain || style.width !== px(a.width) || !(wanted < parseFloat(style.maxHeight) * zoom - 0.5)) {
      this.#measureAgain = false;
      style.width = px(a.width);
      // The stylesheet's limit applies first; the height the content asks for within it decides the side.
      style.maxHeight = '';
      this.#limit = (parseFloat(getComputedStyle(popup).maxHeight) || MAX_HEIGHT) * zoom;
      wanted = popup.getBoundingClientRect().height;
    }
    const limit = this.#limit;
    const below = clientHeight - a.bottom - GAP - MARGIN;
    const above = a.top - GAP - MARGIN;
    const flip = wanted > below && above > below;
    const maxHeight = Math.max(Math.min(MIN_HEIGHT * zoom, limit), Math.min(limit, flip ? above : below));
    style.maxHeight = px(maxHeight);
    style.top = px(flip ? a.top - GAP - Math.min(wanted, maxHeight) : a.bottom + GAP);
    // Shifted sideways to stay inside the viewport, like a native select.
    style.left = px(Math.max(MARGIN, Math.min(a.left, clientWidth - MARGIN - a.width)));
  }
}

/**
 * The shadow roots `anchor` sits in, innermost first, but not one that holds
 * `popup` too (the picker's own: its list scrolls without moving the field).
 */
function shadowRootsAbove(anchor: Node, popup: Node): ShadowRoot[] {
  const roots: ShadowRoot[] = [];
  for (let root = anchor.getRootNode(); root instanceof ShadowRoot; root = root.host.getRootNode()) {
    if (!root.contains(popup)) roots.push(root);
  }
  return roots;
}

/** The effective CSS zoom of `element` (1 where the browser has no standardized zoom). */
export const cssZoom = (element: Element): number => (element as { currentCSSZoom?: number }).currentCSSZoom || 1;
