import { autoUpdate, computePosition, flip, offset, shift, size } from '@floating-ui/dom';

/** The tallest the popup grows before its list scrolls (it shrinks to fit the viewport). */
const MAX_HEIGHT = 320;

/**
 * Keeps a popover (in the top layer, so no `overflow: hidden` ancestor clips
 * it) under its anchor while it is shown: below, or above when there is no
 * room, as wide as the anchor, never taller than the viewport allows.
 * Floating UI tracks scrolling, resizing and anchor movement.
 */
export class PopupPositioner {
  private stop?: () => void;

  attach(anchor: HTMLElement, popup: HTMLElement): void {
    this.detach();
    const place = async () => {
      const { x, y } = await computePosition(anchor, popup, {
        strategy: 'fixed',
        placement: 'bottom-start',
        middleware: [
          offset(4),
          flip({ padding: 8 }),
          shift({ padding: 8 }),
          size({
            padding: 8,
            apply({ rects, availableHeight }) {
              popup.style.width = `${rects.reference.width}px`;
              popup.style.maxHeight = `${Math.max(120, Math.min(MAX_HEIGHT, availableHeight))}px`;
            },
          }),
        ],
      });
      popup.style.left = `${x}px`;
      popup.style.top = `${y}px`;
    };
    this.stop = autoUpdate(anchor, popup, () => void place(), { elementResize: false });
  }

  detach(): void {
    this.stop?.();
    this.stop = undefined;
  }
}
