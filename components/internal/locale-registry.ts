import type { LocalePack } from './locale-pack.js';

/**
 * The registered packs live on a global under a `Symbol.for` key, not in a
 * module variable: a pack loaded by URL beside the script-tag bundle, the
 * module build and a second copy of the kit on the page all share them.
 */
const KEY = Symbol.for('pos-widgets.locales');
/** Fired on `globalThis` when a pack arrives: elements already on the page render again. */
export const LOCALE_EVENT = 'pos-locale';

type Store = Record<string, LocalePack>;

/** The packs by lower-cased language tag. */
export const registeredLocales = (): Store => ((globalThis as { [KEY]?: Store })[KEY] ??= {});

/**
 * Makes a pack's texts available to every element whose nearest `lang` is the
 * pack's (or a region of it: a `de` pack serves `de-CH`). Registering a
 * language again replaces its pack. Returns the pack.
 */
export function registerLocale<P extends LocalePack>(pack: P): P {
  registeredLocales()[pack.lang.toLowerCase()] = pack;
  globalThis.dispatchEvent?.(new Event(LOCALE_EVENT));
  return pack;
}
