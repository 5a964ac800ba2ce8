/** The gap between the anchor and the popup, and the margin kept to the viewport's edges (px). */
const GAP = 4;
const MARGIN = 8;
/** The popup's height limits: it shrinks to the room there is, but never below MIN_HEIGHT nor above MAX_HEIGHT. */
const MIN_HEIGHT = 120;
const MAX_HEIGHT = 320;

/**
 * Keeps a popover (in the top layer, so no `overflow: hidden` ancestor clips
 * it) under its anchor while it is shown: below, or above when its content
 * does not fit below and there is more room above; as wide as the anchor;
 * never taller than the room on its side allows.
 *
 * Hand-written on purpose: Floating UI did this before, but it was 6.3 KB
 * brotli of the bundle's 25 KB budget, and one placement (`position: fixed`
 * from `getBoundingClientRect()`) is all the pickers need. Placement runs on
 * `attach`, on every scroll (any scroller of the page: `window` listener with
 * `capture: true`) and resize, and when the picker calls `update()` after it
 * rendered (the list was filtered, a chip made the field taller). Scroll
 * events do not leave a shadow tree, so a scroller inside a host app's shadow
 * DOM (a workflow builder's drawer, a dialog's body) is heard through a
 * capturing listener on each shadow root above the picker as well. Styles go
 * through the CSSOM only, which a strict `style-src` CSP allows.
 */
export class PopupPositioner {
  #anchor?: HTMLElement;
  #popup?: HTMLElement;
  /** Where scrolls are listened for: the window and the shadow roots above the picker's own. */
  #scrollTargets: EventTarget[] = [];
  readonly #onViewportChange = () => this.update();

  attach(anchor: HTMLElement, popup: HTMLElement): void {
    if (this.#anchor !== anchor) {
      this.detach();
      this.#scrollTargets = [window, ...shadowRootsAbove(anchor, popup)];
      for (const target of this.#scrollTargets) target.addEventListener('scroll', this.#onViewportChange, { capture: true, passive: true });
      addEventListener('resize', this.#onViewportChange, { passive: true });
    }
    this.#anchor = anchor;
    this.#popup = popup;
    this.update();
  }

  detach(): void {
    if (!this.#anchor) return;
    for (const target of this.#scrollTargets) target.removeEventListener('scroll', this.#onViewportChange, { capture: true });
    removeEventListener('resize', this.#onViewportChange);
    this.#scrollTargets = [];
    this.#anchor = this.#popup = undefined;
  }

  /** Places the popup again (a no-op while detached). */
  update(): void {
    const anchor = this.#anchor;
    const popup = this.#popup;
    if (!anchor || !popup) return;
    const a = anchor.getBoundingClientRect();
    const { clientWidth, clientHeight } = document.documentElement;
    const below = clientHeight - a.bottom - GAP - MARGIN;
    const above = a.top - GAP - MARGIN;
    const style = popup.style;
    style.width = `${a.width}px`;
    // The stylesheet's limit (`--pos-picker-popup-max-height`) applies first;
    // the height the content asks for within it decides the side.
    style.maxHeight = '';
    const limit = parseFloat(getComputedStyle(popup).maxHeight) || MAX_HEIGHT;
    const wanted = popup.offsetHeight;
    const flip = wanted > below && above > below;
    const maxHeight = Math.max(Math.min(MIN_HEIGHT, limit), Math.min(limit, flip ? above : below));
    style.maxHeight = `${maxHeight}px`;
    style.top = `${flip ? a.top - GAP - Math.min(wanted, maxHeight) : a.bottom + GAP}px`;
    // Shifted sideways to stay inside the viewport, like a native select.
    style.left = `${Math.max(MARGIN, Math.min(a.left, clientWidth - MARGIN - a.width))}px`;
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
