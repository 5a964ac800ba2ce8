import { provideResizeObserver } from '@lit-labs/virtualizer/polyfillLoaders/ResizeObserver.js';

/**
 * The virtualizer measures options from a ResizeObserver callback and, in the
 * same turn, renders the options the measurement calls for; observing those
 * new nodes during the callback makes the browser report "ResizeObserver loop
 * completed with undelivered notifications" as a page error (harmless, but it
 * lands in the host's error tracking). Handing the callbacks over to the next
 * animation frame breaks the loop; the virtualizer re-measures with
 * getBoundingClientRect anyway, so nothing is lost but one frame of latency.
 *
 * `provideResizeObserver` is module-wide, and the bundle carries its own copy
 * of the virtualizer, so this affects the pickers only.
 */
class FrameDeferredResizeObserver extends ResizeObserver {
  constructor(callback: ResizeObserverCallback) {
    super((entries, observer) => requestAnimationFrame(() => callback(entries, observer)));
  }
}

provideResizeObserver(FrameDeferredResizeObserver);
