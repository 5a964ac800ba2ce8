import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { secureHeaders } from 'hono/secure-headers';

/**
 * The Content-Security-Policy of the demo page: only what it uses. Scripts and
 * styles from this origin; its one inline script (the theme set before first
 * paint) allowed by its SHA-256, computed from the file at start so an edit
 * never silently breaks it; API calls to this origin; no frames, no plugins.
 * Lit's styles are constructed stylesheets and its style bindings use the
 * CSSOM, neither of which `style-src` restricts. Options for Hono's
 * secureHeaders, merged over the server's by the header policy
 * (security-headers.ts) for the page's paths.
 */
export function demoPageSecurity(indexHtml = 'demo/index.html'): NonNullable<Parameters<typeof secureHeaders>[0]> {
  let html = '';
  try {
    html = readFileSync(indexHtml, 'utf8');
  } catch {
    // No demo page (API-only deployment): nothing inline to allow.
  }
  const inlineScripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
    (m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`,
  );
  return {
    crossOriginResourcePolicy: 'same-origin',
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", ...inlineScripts],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      fontSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  };
}
