import { css } from 'lit';
import { themeTokens } from '../internal/theme.js';

export const styles = [
  themeTokens,
  css`
    :host {
      /* Element tokens, read once (see the README's table). */
      --_bar-height: var(--pos-export-bar-height, 6px);
      --_bar-track: var(--pos-export-bar-track, color-mix(in srgb, var(--_accent) 18%, transparent));
      --_dot-size: var(--pos-export-dot-size, 0.625rem);
      display: block;
      box-sizing: border-box;
      padding: 0.75rem 1rem;
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_surface);
      line-height: 1.45;
    }
    *,
    *::before,
    *::after {
      box-sizing: inherit;
    }

    [part~='header'] {
      display: flex;
      align-items: center;
      gap: 0.5rem;
      margin-block-end: 0.5rem;
    }
    [part~='label'] {
      flex: 1;
      min-inline-size: 0;
    }
    [part~='elapsed'] {
      color: var(--_text-muted);
      font-variant-numeric: tabular-nums;
      white-space: nowrap;
    }

    /* Indeterminate bar: a segment sliding across the track in the reading direction. */
    [part~='progress'] {
      position: relative;
      overflow: hidden;
      block-size: var(--_bar-height);
      border-radius: calc(var(--_bar-height) / 2);
      background: var(--_bar-track);
    }
    [part~='progress-indicator'] {
      position: absolute;
      inset-block: 0;
      inline-size: 40%;
      border-radius: inherit;
      background: var(--_accent);
      animation: slide 1.4s ease-in-out infinite;
    }
    :host([state='reconnecting']) [part~='progress-indicator'] {
      animation-play-state: paused;
      opacity: 0.5;
    }
    @keyframes slide {
      from {
        inset-inline-start: -40%;
      }
      to {
        inset-inline-start: 100%;
      }
    }

    /* Liveness dot: pulses once per heartbeat (two identical animations, alternated, restart it). */
    [part~='liveness'] {
      flex: none;
      inline-size: var(--_dot-size);
      block-size: var(--_dot-size);
      border-radius: 50%;
      background: var(--_text-muted);
    }
    [part~='liveness'][data-alive] {
      background: var(--_success);
    }
    [part~='liveness'][data-beat='0'] {
      animation: beat-a 0.6s ease-out;
    }
    [part~='liveness'][data-beat='1'] {
      animation: beat-b 0.6s ease-out;
    }
    @keyframes beat-a {
      from {
        box-shadow: 0 0 0 0 color-mix(in srgb, var(--_success) 60%, transparent);
      }
      to {
        box-shadow: 0 0 0 0.4rem transparent;
      }
    }
    @keyframes beat-b {
      from {
        box-shadow: 0 0 0 0 color-mix(in srgb, var(--_success) 60%, transparent);
      }
      to {
        box-shadow: 0 0 0 0.4rem transparent;
      }
    }

    [part~='actions'] {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
      margin-block-start: 0.75rem;
    }
    button,
    [part~='download'] {
      font: inherit;
      border-radius: var(--_radius);
      padding: 0.375rem 0.875rem;
      cursor: pointer;
    }
    button {
      border: 1px solid var(--_border);
      background: var(--_surface-raised);
      color: var(--_text);
    }
    button:hover {
      background: var(--_surface-hover);
    }
    [part~='export'],
    [part~='retry'],
    [part~='download'] {
      border: 1px solid var(--_accent);
      background: var(--_accent);
      color: var(--_on-accent);
      text-decoration: none;
      display: inline-block;
    }
    [part~='export']:hover,
    [part~='retry']:hover,
    [part~='download']:hover {
      background: color-mix(in srgb, var(--_accent) 85%, var(--_text));
    }
    [part~='title'] {
      margin: 0;
      font-weight: 600;
    }
    :host([state='completed']) [part~='title'] {
      color: var(--_success);
    }
    :host([state='error']) [part~='title'] {
      color: var(--_danger);
    }
    [part~='message'] {
      margin: 0.25rem 0 0;
    }
    [part~='details'] {
      display: grid;
      grid-template-columns: auto 1fr;
      gap: 0.125rem 0.75rem;
      margin: 0.5rem 0 0;
      color: var(--_text-muted);
    }
    [part~='details'] dd {
      margin: 0;
      color: var(--_text);
      font-variant-numeric: tabular-nums;
    }

    @media (prefers-reduced-motion: reduce) {
      /* Still, and not a full bar (which reads as done): a striped segment in the middle of the track. */
      [part~='progress-indicator'] {
        animation: none;
        inset-inline-start: 30%;
        background: repeating-linear-gradient(-45deg, var(--_accent) 0 4px, transparent 0 8px);
      }
      [part~='liveness'][data-beat] {
        animation: none;
      }
    }
    @media (forced-colors: active) {
      /* The accent buttons' background becomes ButtonFace: their text follows (the dark scheme's is dark). */
      :host {
        --_on-accent: ButtonText;
      }
      [part~='progress'] {
        border: 1px solid CanvasText;
      }
      [part~='progress-indicator'],
      [part~='liveness'] {
        background: Highlight;
        forced-color-adjust: none;
      }
    }
  `,
];
