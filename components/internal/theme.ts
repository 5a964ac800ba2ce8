import { css } from 'lit';

/**
 * The design tokens every element reads. Public `--pos-*` custom properties
 * (documented in the README) are read once into private `--_*` ones, so the
 * element's own rules never depend on what the host did or did not set.
 * Each default is `light-dark(light, dark)`: it follows the `color-scheme`
 * the element inherits from the host page (or is given itself), never the OS
 * on its own, so a light-only page keeps light elements under a dark OS.
 * A public property the host sets always wins.
 */
export const themeTokens = css`
  :host {
    --_accent: var(--pos-accent, light-dark(#4f46e5, #a5b4fc));
    --_on-accent: var(--pos-on-accent, light-dark(#fff, #111827));
    --_surface: var(--pos-surface, light-dark(#fff, #111827));
    --_surface-raised: var(--pos-surface-raised, light-dark(#fff, #1f2937));
    --_surface-hover: var(--pos-surface-hover, light-dark(#f3f4f6, #374151));
    --_text: var(--pos-text, light-dark(#111827, #f9fafb));
    --_text-muted: var(--pos-text-muted, light-dark(#4b5563, #d1d5db));
    --_border: var(--pos-border, light-dark(#9ca3af, #6b7280));
    --_danger: var(--pos-danger, light-dark(#b91c1c, #fca5a5));
    --_success: var(--pos-success, light-dark(#047857, #6ee7b7));
    --_chip-bg: var(--pos-chip-background, light-dark(#eef2ff, #312e81));
    --_chip-text: var(--pos-chip-text, light-dark(#3730a3, #e0e7ff));
    --_highlight: var(--pos-highlight, light-dark(#fde68a, #854d0e));
    --_radius: var(--pos-radius, 8px);
    --_font: var(--pos-font-family, system-ui, sans-serif);
    --_font-size: var(--pos-font-size, 0.9375rem);
    --_focus-ring: var(--pos-focus-ring, 0 0 0 3px color-mix(in srgb, var(--_accent) 40%, transparent));
    --_shadow: var(--pos-shadow, 0 10px 30px -10px rgb(0 0 0 / 0.25), 0 2px 6px rgb(0 0 0 / 0.08));
    font-family: var(--_font);
    font-size: var(--_font-size);
    color: var(--_text);
  }
  /*
   * Focus: the ring is a box-shadow, which forced colours drop; they paint the
   * transparent outline in a system colour instead. The picker's input shows
   * focus on its field (picker.styles.ts).
   */
  :focus-visible:not(.input) {
    outline: 2px solid transparent;
    box-shadow: var(--_focus-ring);
  }
  [hidden] {
    display: none !important;
  }
  /* Each element's live region: read by screen readers, not shown. */
  .visually-hidden {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    margin: -1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
