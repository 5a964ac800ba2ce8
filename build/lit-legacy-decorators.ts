import type { PropertyDeclaration, ReactiveElement } from 'lit';

/**
 * `property` and `state` as lit/decorators.js has them for TypeScript's
 * `experimentalDecorators` (tsconfig.json), the only decorators this project
 * compiles: the script-tag build (vite.config.ts) resolves `lit/decorators.js`
 * here. Lit's `property()` also carries the TC39 (standard decorator) path,
 * which a legacy build never takes.
 * Own code: with lit/decorators.js instead, dist/pos-widgets.js is 0.19 KB brotli larger (19.71 vs 19.51 KB).
 * The elements' own modules (vite.elements.config.ts), the tests and the
 * types use Lit's decorators as they are.
 */

/** Lit's legacy `property`: declares the reactive property on the class; an accessor keeps its descriptor. */
export const property =
  (options?: PropertyDeclaration) =>
  (proto: object, name: PropertyKey): PropertyDescriptor | undefined => {
    // As Lit: for accessors (a descriptor on the prototype) hand the descriptor back, or TypeScript overwrites createProperty's.
    const own = Object.hasOwn(proto, name);
    (proto.constructor as typeof ReactiveElement).createProperty(name, options);
    return own ? Object.getOwnPropertyDescriptor(proto, name) : undefined;
  };

/** Lit's `state`: a reactive property with no attribute. */
export const state = (options?: PropertyDeclaration) => property({ ...options, state: true, attribute: false });
