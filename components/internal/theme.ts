import { css } from 'lit';

/**
 * The design tokens every element reads. Public `--pos-*` custom properties
 * (documented in the README) are read once into private `--_*` ones, so the
 * element's own rules never depend on what the host did or did not set.
 * Dark values apply under `prefers-color-scheme: dark` unless the host sets
 * the public property, which always wins.
 */
export const themeTokens = css`
  :host {
    --_accent: var(--pos-accent, #4f46e5);
    --_on-accent: var(--pos-on-accent, #ffffff);
    --_surface: var(--pos-surface, #ffffff);
    --_surface-raised: var(--pos-surface-raised, #ffffff);
    --_surface-hover: var(--pos-surface-hover, #f3f4f6);
    --_text: var(--pos-text, #111827);
    --_text-muted: var(--pos-text-muted, #4b5563);
    --_border: var(--pos-border, #9ca3af);
    --_danger: var(--pos-danger, #b91c1c);
    --_success: var(--pos-success, #047857);
    --_chip-bg: var(--pos-chip-background, #eef2ff);
    --_chip-text: var(--pos-chip-text, #3730a3);
    --_highlight: var(--pos-highlight, #fde68a);
    --_radius: var(--pos-radius, 8px);
    --_font: var(--pos-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_font-size: var(--pos-font-size, 0.9375rem);
    --_focus-ring: var(--pos-focus-ring, 0 0 0 3px color-mix(in srgb, var(--_accent) 40%, transparent));
    --_shadow: var(--pos-shadow, 0 10px 30px -10px rgb(0 0 0 / 0.25), 0 2px 6px rgb(0 0 0 / 0.08));
    font-family: var(--_font);
    font-size: var(--_font-size);
    color: var(--_text);
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_accent: var(--pos-accent, #a5b4fc);
      --_on-accent: var(--pos-on-accent, #111827);
      --_surface: var(--pos-surface, #111827);
      --_surface-raised: var(--pos-surface-raised, #1f2937);
      --_surface-hover: var(--pos-surface-hover, #374151);
      --_text: var(--pos-text, #f9fafb);
      --_text-muted: var(--pos-text-muted, #d1d5db);
      --_border: var(--pos-border, #6b7280);
      --_danger: var(--pos-danger, #fca5a5);
      --_success: var(--pos-success, #6ee7b7);
      --_chip-bg: var(--pos-chip-background, #312e81);
      --_chip-text: var(--pos-chip-text, #e0e7ff);
      --_highlight: var(--pos-highlight, #854d0e);
    }
  }
  [hidden] {
    display: none !important;
  }
`;
