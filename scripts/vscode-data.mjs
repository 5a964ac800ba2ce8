/**
 * dist/vscode.html-custom-data.json from dist/custom-elements.json: tag and
 * attribute completion and hover docs in VS Code's HTML editor. Point the
 * setting `"html.customData": ["./node_modules/@partneros/workflow-widgets/dist/vscode.html-custom-data.json"]` at it.
 * Format: https://github.com/microsoft/vscode-custom-data (version 1.1).
 */
import { readFileSync, writeFileSync } from 'node:fs';

const manifest = JSON.parse(readFileSync('dist/custom-elements.json', 'utf8'));

/** `"a" | "b"` → the values VS Code offers after `=`; other types give none. */
const valuesOf = (type) => {
  const literals = (type ?? '').split('|').map((t) => t.trim());
  return literals.length && literals.every((t) => /^(['"]).*\1$/.test(t)) ? literals.map((t) => ({ name: t.slice(1, -1) })) : undefined;
};

const list = (title, items, line) => (items?.length ? `\n\n**${title}**\n${items.map(line).join('\n')}` : '');

const tags = manifest.modules
  .flatMap((mod) => mod.declarations ?? [])
  .filter((d) => d.customElement && d.tagName)
  .map((d) => ({
    name: d.tagName,
    description:
      (d.summary ?? d.description ?? '') +
      list('Events', d.events, (e) => `- \`${e.name}\` ${e.description ?? ''}`) +
      list('CSS parts', d.cssParts, (p) => `- \`::part(${p.name})\` ${p.description ?? ''}`) +
      list('CSS custom properties', d.cssProperties, (p) => `- \`${p.name}\` ${p.description ?? ''}`),
    attributes: (d.attributes ?? [])
      .filter((a) => a.name !== 'aria-label') // VS Code knows the ARIA attributes already
      .map((a) => ({
        name: a.name,
        description: [a.description, a.type?.text && `Type: \`${a.type.text}\``, a.default && `Default: \`${a.default}\``]
          .filter(Boolean)
          .join('\n\n'),
        ...(a.type?.text === 'boolean' ? { valueSet: 'v' } : valuesOf(a.type?.text) ? { values: valuesOf(a.type?.text) } : {}),
      })),
  }))
  .sort((a, b) => a.name.localeCompare(b.name));

if (tags.length !== 5)
  throw new Error(`expected the five elements in dist/custom-elements.json, found ${tags.map((t) => t.name).join(', ') || 'none'}`);
writeFileSync('dist/vscode.html-custom-data.json', `${JSON.stringify({ version: 1.1, tags }, null, 2)}\n`);
console.log(`dist/vscode.html-custom-data.json: ${tags.map((t) => `<${t.name}> (${t.attributes.length} attributes)`).join(', ')}`);
