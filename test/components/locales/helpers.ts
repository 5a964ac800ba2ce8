/** Helpers the locale tests share: a host element with an open shadow root, as a host app's own component would be. */

/** A `<div>` (with `lang` = `hostLang`) whose shadow root holds `<tag>` (given `props` before it connects) in a `<section>`. */
export function inShadowRoot<T extends HTMLElement>(
  tag: string,
  hostLang?: string,
  props: Partial<T> = {},
): { host: HTMLElement; el: T; remove(): void } {
  const host = document.createElement('div');
  if (hostLang !== undefined) host.lang = hostLang;
  document.body.append(host);
  const root = host.attachShadow({ mode: 'open' });
  // A wrapper inside the shadow root, so the walk must go element → shadow root → host.
  const wrapper = document.createElement('section');
  root.append(wrapper);
  const el = Object.assign(document.createElement(tag) as T, props);
  wrapper.append(el);
  return { host, el, remove: () => host.remove() };
}

/** Lets the MutationObserver's callback (a microtask) run, then the element's update. */
export async function settled(el: HTMLElement & { updateComplete: Promise<unknown> }) {
  await new Promise((resolve) => setTimeout(resolve));
  await el.updateComplete;
}
