/** Helpers the visual tests share: emulated media features, computed styles, axe. */
import 'axe-core';
import { executeServerCommand } from '@web/test-runner-commands';

declare const axe: typeof import('axe-core');

export type MediaFeatures = Partial<{
  'forced-colors': 'active' | 'none';
  'prefers-color-scheme': 'light' | 'dark';
  'prefers-reduced-motion': 'reduce' | 'no-preference';
}>;

/** Emulates exactly these media features (web-test-runner.config.mjs's `media-features`); `{}` resets them. */
export const emulate = (features: MediaFeatures) => executeServerCommand('media-features', features);

/** The axe violations in a node, one line each (empty when clean). */
export async function audit(node: Element): Promise<string[]> {
  const { violations } = await axe.run(node);
  return violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary}`).join(', ')})`);
}

/** A colour as [r, g, b, a] (computed colours are `rgb()`/`rgba()`). */
export function rgba(color: string): [number, number, number, number] {
  const [r = 0, g = 0, b = 0, a = 1] = (color.match(/[\d.]+/g) ?? []).map(Number);
  return [r, g, b, a];
}

/** WCAG relative luminance of a computed colour. */
export function luminance(color: string): number {
  const [r, g, b] = rgba(color)
    .slice(0, 3)
    .map((c) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** What a system colour (`Highlight`, `CanvasText`…) computes to on this page right now. */
export function systemColor(name: string): string {
  const probe = document.createElement('span');
  probe.style.color = name;
  document.body.append(probe);
  const value = getComputedStyle(probe).color;
  probe.remove();
  return value;
}

/** A visible outline: a style other than none, at least 1px, not transparent. */
export function outlineOf(node: Element) {
  const s = getComputedStyle(node);
  const width = parseFloat(s.outlineWidth);
  return {
    style: s.outlineStyle,
    width,
    color: s.outlineColor,
    visible: s.outlineStyle !== 'none' && width >= 1 && rgba(s.outlineColor)[3] > 0,
  };
}
