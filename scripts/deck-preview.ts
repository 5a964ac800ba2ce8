/**
 * `npm run deck:preview -- <lessonId | lesson.json | all>`: renders a lesson's
 * deck with the server's renderer and, when LibreOffice and poppler are
 * installed, its slides as PNG pages, so a person can look at them. Output
 * goes to test-results/deck-preview/<deck name>/ (git-ignored).
 *
 * A lesson id is one of the demo data's (run without arguments for the list);
 * a JSON file holds a LessonContent: { title, sections: [{ heading, body }],
 * organizationName?, accentColor?, date? }.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { demoFixture } from '../server/db/demo-data.js';
import { deckFileName, renderLessonDeck, type LessonContent } from '../server/exports/deck.js';

const OUT = 'test-results/deck-preview';
const demo = demoFixture();
const demoLessons = demo.lessons!.map((l) => ({
  id: l.id,
  lesson: {
    title: l.title,
    sections: l.sections,
    organizationId: l.organizationId,
    organizationName: demo.organizations!.find((o) => o.id === l.organizationId)?.name,
  } satisfies LessonContent,
}));

const arg = process.argv[2];
if (!arg) {
  console.log('usage: npm run deck:preview -- <lessonId | lesson.json | all>\n\ndemo lessons:');
  for (const { id, lesson } of demoLessons) console.log(`  ${id}  ${lesson.title} (${lesson.organizationName})`);
  process.exit(2);
}

function fromFile(path: string): LessonContent {
  const json = JSON.parse(readFileSync(path, 'utf8')) as LessonContent & { date?: string };
  if (typeof json.title !== 'string' || !Array.isArray(json.sections))
    throw new Error(`${path}: expected { title, sections: [{ heading, body }] }`);
  return { ...json, date: json.date ? new Date(json.date) : undefined };
}

const lessons: LessonContent[] =
  arg === 'all'
    ? demoLessons.map((d) => d.lesson)
    : demoLessons.some((d) => d.id === arg)
      ? [demoLessons.find((d) => d.id === arg)!.lesson]
      : arg.endsWith('.json')
        ? [fromFile(arg)]
        : [];
if (!lessons.length) {
  console.error(`${arg}: neither a demo lesson id nor a .json file (run without arguments for the demo's ids)`);
  process.exit(2);
}

/** True when `command` runs; a missing one is reported, not thrown. */
const has = (command: string, versionFlag: string) => !spawnSync(command, [versionFlag], { stdio: 'ignore' }).error;
const canRender = has('soffice', '--version') && has('pdftoppm', '-v');

for (const lesson of lessons) {
  const deck = await renderLessonDeck(lesson);
  const dir = join(OUT, basename(deckFileName(lesson.title), '.pptx'));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const pptx = join(dir, 'deck.pptx');
  writeFileSync(pptx, deck.bytes);
  console.log(`${pptx}: ${deck.slideCount} slides, ${deck.bytes.length.toLocaleString('en')} bytes, costCents ${deck.costCents}`);
  if (!canRender) continue;

  // A profile of its own, so a LibreOffice already open on this machine neither blocks nor answers the conversion.
  const profile = mkdtempSync(join(tmpdir(), 'deck-preview-lo-'));
  try {
    const converted = spawnSync(
      'soffice',
      [
        `-env:UserInstallation=${pathToFileURL(profile).href}`,
        '--headless',
        '--convert-to',
        'pdf',
        '--outdir',
        resolve(dir),
        resolve(pptx),
      ],
      { encoding: 'utf8', timeout: 180_000 },
    );
    if (converted.status !== 0)
      throw new Error(`soffice failed (${converted.status ?? converted.signal}): ${converted.stderr || converted.stdout}`);
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  const pages = spawnSync('pdftoppm', ['-png', '-scale-to', '1280', join(dir, 'deck.pdf'), join(dir, 'slide')], { encoding: 'utf8' });
  if (pages.status !== 0) throw new Error(`pdftoppm failed: ${pages.stderr}`);
  const pngs = readdirSync(dir)
    .filter((f) => f.endsWith('.png'))
    .sort();
  console.log(`  ${pngs.length} pages: ${join(dir, pngs[0] ?? '')} …`);
}
if (!canRender) console.log("No PNG pages: soffice or pdftoppm is missing (install Debian's libreoffice-impress and poppler-utils).");
