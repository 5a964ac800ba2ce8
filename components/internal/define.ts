/**
 * Registers a custom element unless the tag is taken already, so the bundle
 * may be included twice (or two versions may meet on one page) without the
 * "has already been used with this registry" error. The first definition wins.
 */
export function define(tag: string, element: CustomElementConstructor): void {
  if (!customElements.get(tag)) customElements.define(tag, element);
}
