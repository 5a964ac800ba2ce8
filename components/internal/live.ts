import { noChange } from 'lit';
import { setCommittedValue } from 'lit/directive-helpers.js';
import { Directive, directive, type PropertyPart } from 'lit/directive.js';

/**
 * Lit's `live` for property bindings (`.value`, `.selected`), the only ones the elements bind live:
 * set the property whenever the element's own value differs (the user may have changed it), not
 * only when the bound value changed.
 * Own code, smaller than lit/directives/live.js (BENCHMARKS.md, "Picker internals").
 */
export const live = directive(
  class extends Directive {
    render(value: unknown) {
      return value;
    }
    override update(part: PropertyPart, [value]: [unknown]) {
      if (value === (part.element as unknown as Record<string, unknown>)[part.name]) return noChange;
      // Lit would skip a value equal to the one it last set: make it set this one.
      setCommittedValue(part);
      return value;
    }
  },
);
