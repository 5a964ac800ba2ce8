import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { LocalePack } from './locale-pack.js';
import { LOCALE_EVENT, registeredLocales } from './locale-registry.js';

type Host = ReactiveControllerHost & HTMLElement;

/** The `lang` that applies to `element`: its own or its nearest ancestor's, looking past shadow roots to their hosts. */
export function nearestLang(element: Element): string {
  for (let node: Element | undefined = element; node; node = (node.getRootNode() as ShadowRoot).host) {
    const source = node.closest('[lang]');
    if (source) return source.getAttribute('lang')!;
  }
  return '';
}

const controllers = new Set<LocaleController>();
/**
 * One observer for every element: `lang` changes are rare, so any of them
 * anywhere in an observed tree re-resolves every element (a few `closest`
 * calls each), instead of one observer per element and ancestor.
 */
let observer: MutationObserver | undefined;

function watch(element: Element): void {
  if (!observer) {
    observer = new MutationObserver(() => controllers.forEach((c) => c.sync()));
    addEventListener(LOCALE_EVENT, () => controllers.forEach((c) => c.changed()));
  }
  // The document and each shadow root above the element: a `lang` may change, or appear, on any ancestor in them.
  for (let root = element.getRootNode(); ; root = (root as ShadowRoot).host.getRootNode()) {
    observer.observe(root, { attributeFilter: ['lang'], subtree: true });
    if (!(root as ShadowRoot).host) break;
  }
}

/**
 * Follows the element's nearest `lang` (see `nearestLang`) and renders the
 * element again when it changes or when a pack for it is registered.
 */
export class LocaleController implements ReactiveController {
  /** The nearest `lang` as written (`''`: none). */
  lang = '';
  /** The locale for `Intl` and case folding: `lang` if it is a valid tag, else undefined (the browser's). */
  locale: string | undefined;
  /** Counts the changes of `lang` and of the registered packs: caches of localised text compare it. */
  version = 0;

  constructor(readonly host: Host) {
    host.addController(this);
  }

  hostConnected(): void {
    controllers.add(this);
    watch(this.host);
    this.sync();
  }

  hostDisconnected(): void {
    controllers.delete(this);
  }

  /** Re-reads the nearest `lang` (on connecting too: the element may have moved); renders again if it changed. */
  sync(): void {
    const lang = nearestLang(this.host);
    if (lang === this.lang) return;
    this.lang = lang;
    try {
      this.locale = Intl.getCanonicalLocales(lang)[0];
    } catch {
      this.locale = undefined;
    }
    this.changed();
  }

  changed(): void {
    this.version++;
    this.host.requestUpdate();
  }

  /** The registered pack's texts under `keys`, merged in order, for the nearest `lang` or its language (`de-CH` → `de`). */
  strings<T>(...keys: (keyof LocalePack)[]): Partial<T> {
    const packs = registeredLocales();
    const lang = this.lang.toLowerCase();
    const pack: LocalePack | undefined = packs[lang] ?? packs[lang.split('-')[0]!];
    return Object.assign({}, ...keys.map((key) => pack?.[key]));
  }
}
