/**
 * bench:deck — what a deck costs the server to generate: the median time of
 * N renders (30; 2 with --smoke) after 3 warm-up renders, in this process,
 * and the bytes of the .pptx, for the demo's largest lesson and two made-up
 * ones that stress the layout (long sections, many sections).
 *
 * `--renderer <module>` measures another renderer exporting `renderLessonDeck`
 * (e.g. an older deck.ts, to compare before and after a change): a what-if
 * run, printed, not written into BENCHMARKS.md.
 */
import JSZip from 'jszip';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { demoFixture } from '../server/db/demo-data.js';
import type { LessonContent, RenderedDeck } from '../server/exports/deck.js';
import { machine, median, publish, SMOKE, table, type Row } from './support/report.js';

const RUNS = SMOKE ? 2 : 30;
const WARM_UP = SMOKE ? 1 : 3;
const rendererFlag = process.argv.indexOf('--renderer');
const rendererPath = rendererFlag > 0 ? process.argv[rendererFlag + 1] : undefined;
const { renderLessonDeck } = (await import(rendererPath ? pathToFileURL(resolve(rendererPath)).href : '../server/exports/deck.js')) as {
  renderLessonDeck: (lesson: LessonContent) => Promise<RenderedDeck>;
};

const demo = demoFixture(new Date('2026-01-01T00:00:00Z'));
const lengthOf = (l: { sections: { heading: string; body: string }[] }) =>
  l.sections.reduce((n, s) => n + s.heading.length + s.body.length, 0);
const largest = [...demo.lessons!].sort((a, b) => lengthOf(b) - lengthOf(a))[0]!;
const orgName = (id: string) => demo.organizations!.find((o) => o.id === id)?.name;

// Sentences of ordinary length, so the made-up lessons paginate as prose does.
const sentence = (i: number) => `Point ${i} explains one step of the programme to a partner in a sentence of ordinary length.`;
const prose = (chars: number, seed: number) => {
  const out: string[] = [];
  for (let i = 0, n = 0; n < chars; i++) n += out[out.push(sentence(seed + i)) - 1]!.length + 1;
  return out.join(' ');
};

const LESSONS: { name: string; lesson: LessonContent }[] = [
  {
    name: `demo's largest: "${largest.title}" (${largest.sections.length} sections, ${lengthOf(largest)} characters)`,
    lesson: {
      title: largest.title,
      sections: largest.sections,
      organizationId: largest.organizationId,
      organizationName: orgName(largest.organizationId),
    },
  },
  {
    name: '8 sections of 3,000 characters',
    lesson: {
      title: 'A long lesson',
      sections: Array.from({ length: 8 }, (_, i) => ({ heading: `Section ${i + 1}`, body: prose(3000, i * 100) })),
    },
  },
  {
    name: '200 sections of 200 characters',
    lesson: {
      title: 'A wide lesson',
      sections: Array.from({ length: 200 }, (_, i) => ({ heading: `Section ${i + 1}`, body: prose(200, i * 10) })),
    },
  },
];

/** Entries of the zip's central directory (folders left out) and how many of them are stored uncompressed (method 0). */
function storedParts(bytes: Buffer): { stored: number; parts: number } {
  let end = bytes.length - 22;
  while (end >= 0 && bytes.readUInt32LE(end) !== 0x06054b50) end--;
  let at = bytes.readUInt32LE(end + 16);
  let stored = 0;
  let parts = 0;
  for (let i = bytes.readUInt16LE(end + 10); i > 0; i--) {
    const nameLength = bytes.readUInt16LE(at + 28);
    if (!bytes.toString('utf8', at + 46, at + 46 + nameLength).endsWith('/')) {
      parts++;
      if (bytes.readUInt16LE(at + 10) === 0) stored++;
    }
    at += 46 + nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
  }
  return { stored, parts };
}

const rows: Row[] = [];
for (const { name, lesson } of LESSONS) {
  for (let i = 0; i < WARM_UP; i++) await renderLessonDeck(lesson);
  const times: number[] = [];
  let deck: RenderedDeck | undefined;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    deck = await renderLessonDeck(lesson);
    times.push(performance.now() - start);
  }
  await JSZip.loadAsync(deck!.bytes); // it opens
  const { stored, parts } = storedParts(deck!.bytes);
  rows.push({
    lesson: name,
    'median ms': median(times).toFixed(1),
    'min / max ms': `${Math.min(...times).toFixed(1)} / ${Math.max(...times).toFixed(1)}`,
    bytes: deck!.bytes.length.toLocaleString('en'),
    slides: deck!.slideCount,
    costCents: deck!.costCents,
    'parts stored uncompressed': `${stored} of ${parts}`,
  });
}

publish(
  'bench:deck',
  `## bench:deck — what a deck costs to generate

${machine()}${rendererPath ? `, renderer ${rendererPath}` : ''}. \`renderLessonDeck\` in the bench's own process, median of ${RUNS} renders after ${WARM_UP} warm-up renders; bytes of the .pptx as stored and downloaded.

${table(rows)}`,
  Boolean(rendererPath),
);
