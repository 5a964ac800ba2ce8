import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** How long a message must stay the same before it is said: typing "sec" says one count, not three. */
const SETTLE_MS = 400;

/**
 * An element's one polite live region (rendered empty from the first render,
 * written here and never by Lit): what the element's state says after each
 * update (`message()`: loading, the number of results, no matches; `''` for
 * nothing), and one-off messages (`say()`: a removed chip). A message is
 * written once it has settled, and only when it differs from the region's
 * text, so each is announced once.
 */
export class Announcer implements ReactiveController {
  readonly #region: () => HTMLElement | null;
  readonly #message: () => string;
  #state = '';
  #timer?: ReturnType<typeof setTimeout>;

  constructor(host: ReactiveControllerHost, region: () => HTMLElement | null, message: () => string) {
    host.addController(this);
    this.#region = region;
    this.#message = message;
  }

  hostUpdated(): void {
    const message = this.#message();
    if (message === this.#state) return;
    this.#state = message;
    if (message) this.say(message);
  }

  hostDisconnected(): void {
    clearTimeout(this.#timer);
  }

  /** Says `text` once no newer message replaced it for a moment. */
  say(text: string): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      const region = this.#region();
      if (region && region.textContent !== text) region.textContent = text;
    }, SETTLE_MS);
  }
}
