/**
 * The lesson deck (issue 17): real decks from ordinary, odd and hostile
 * lessons, unzipped with jszip and read with a real XML parser. Node has none
 * and none is installed (fast-xml-parser or @xmldom/xmldom would do), so the
 * parser is Chromium's DOMParser (libxml2), the browser the browser tests
 * already use; without a Chromium those tests skip. LibreOffice, when
 * installed, opens the decks and its PDF shows where every word landed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it, type TestContext } from 'node:test';
import JSZip from 'jszip';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/chromium-path.mjs';
import { demoFixture } from '../../server/db/demo-data.js';
import { ACCENTS, accentFor, renderLessonDeck, type LessonContent, type RenderedDeck } from '../../server/exports/deck.js';

// ---------------------------------------------------------------------------
// Lessons

const sentence = (i: number) => `Point ${i} tells a partner one thing about the programme, in a sentence of ordinary length.`;
const prose = (chars: number) => {
  const out: string[] = [];
  for (let i = 0, n = 0; n < chars; i++) n += out[out.push(sentence(i)) - 1]!.length + 1;
  return out.join(' ');
};
const WORD_PASTE =
  'First line\u000Bsecond line\u0007 with a bell.\u000B- a list item\u000B- another item\u000C\uD800lone surrogate\uDFFF at the end';
const HEBREW = 'ברוכים הבאים לתוכנית השותפים. זהו משפט שני.';
const ARABIC = 'مرحبا بكم في برنامج الشركاء. هذه جملة ثانية.';
const EMOJI = 'Launch day 🚀 is here: families 👩‍👩‍👧‍👦, flags 🇫🇷🇯🇵 and keycaps 1️⃣ render.';
const LONG_WORD = 'Supercalifragilistic'.repeat(300);
const DATE = new Date('2026-03-05T12:00:00Z');

const demo = demoFixture(DATE);
const demoLessons: LessonContent[] = demo.lessons!.map((l) => ({
  title: l.title,
  sections: l.sections,
  organizationId: l.organizationId,
  organizationName: demo.organizations!.find((o) => o.id === l.organizationId)!.name,
  date: DATE,
}));

const hostile: LessonContent = {
  title: 'Hostile\u0007 lesson\u0000',
  organizationName: 'Footer\u0008 Org',
  date: DATE,
  sections: [
    { heading: 'Pasted from Word\u000B', body: WORD_PASTE },
    { heading: 'Twenty thousand characters', body: prose(20_000) },
    { heading: 'Three thousand characters', body: prose(3_000) },
    { heading: 'עברית', body: HEBREW },
    { heading: 'العربية', body: ARABIC },
    { heading: 'Emoji 🎉', body: EMOJI },
    { heading: 'A very long word', body: LONG_WORD },
    { heading: '', body: '' },
    { heading: 'Only a heading', body: '' },
    { heading: '', body: 'A body without a heading.' },
    {
      heading: 'Control characters \u0001\u001F\u007F\u0085\uFFFE\uFFFF',
      body: 'Bell\u0007, escape\u001B, DEL\u007F and C1\u0090 are gone. Markup like <b>this</b> & "quotes" stays text.',
    },
    { heading: `A heading far too long for two lines of thirty-point type: ${'words '.repeat(40)}`, body: prose(400) },
    { heading: '日本語のセクション', body: 'これは日本語の文章です。二つ目の文章もあります。'.repeat(12) },
  ],
};

const many: LessonContent = {
  title: 'Two hundred sections',
  organizationName: 'Many Org',
  date: DATE,
  sections: Array.from({ length: 200 }, (_, i) => ({
    heading: `Heading number ${i + 1}`,
    body: `Body of section ${i + 1}. ${sentence(i)}`,
  })),
};

// ---------------------------------------------------------------------------
// Reading a deck

interface Paragraph {
  text: string;
  size: number | null;
  bold: boolean;
  pitch: number | null;
  after: number | null;
  marL: number;
  bullet: boolean;
  rtl: boolean;
  lang: string | null;
  fonts: string[];
}
interface TextBox {
  x: number | null;
  y: number | null;
  w: number | null;
  h: number | null;
  lIns: number | null;
  rIns: number | null;
  tIns: number | null;
  bIns: number | null;
  autofit: boolean;
  field: string | null;
  paragraphs: Paragraph[];
}
interface Part {
  background: string | null;
  boxes: TextBox[];
}
interface Parsed {
  errors: { name: string; message: string }[];
  docs: Record<string, Part>;
  theme: string[];
}

/** In the page: decodes each part as UTF-8 (strictly), parses it as XML, and describes the slides' text boxes. */
function parseInPage(parts: { name: string; b64: string }[]): Parsed {
  const A = 'http://schemas.openxmlformats.org/drawingml/2006/main';
  const P = 'http://schemas.openxmlformats.org/presentationml/2006/main';
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const out: Parsed = { errors: [], docs: {}, theme: [] };
  const first = (el: Element | Document | undefined, tag: string) => el?.getElementsByTagNameNS(A, tag)[0];
  const describe = (doc: Document): Part => ({
    background: doc.getElementsByTagNameNS(P, 'bg')[0]?.getElementsByTagNameNS(A, 'srgbClr')[0]?.getAttribute('val') ?? null,
    boxes: [...doc.getElementsByTagNameNS(P, 'sp')].flatMap((sp) => {
      const body = sp.getElementsByTagNameNS(P, 'txBody')[0];
      // Notes placeholders have no geometry of their own.
      const off = first(sp, 'off');
      const ext = first(sp, 'ext');
      if (!body) return [];
      const bodyPr = first(body, 'bodyPr')!;
      const inset = (k: string) => (bodyPr.hasAttribute(k) ? Number(bodyPr.getAttribute(k)) : null);
      const listSize = first(first(first(body, 'lstStyle'), 'lvl1pPr'), 'defRPr')?.getAttribute('sz');
      const emu = (el: Element | undefined, k: string) => (el ? Number(el.getAttribute(k)) : null);
      return [
        {
          x: emu(off, 'x'),
          y: emu(off, 'y'),
          w: emu(ext, 'cx'),
          h: emu(ext, 'cy'),
          lIns: inset('lIns'),
          rIns: inset('rIns'),
          tIns: inset('tIns'),
          bIns: inset('bIns'),
          autofit: Boolean(first(bodyPr, 'normAutofit')),
          field: first(body, 'fld')?.getAttribute('type') ?? null,
          paragraphs: [...body.getElementsByTagNameNS(A, 'p')].map((p) => {
            const pPr = first(p, 'pPr');
            const rPr = first(p, 'rPr') ?? first(p, 'endParaRPr');
            const points = (tag: string) => {
              const v = first(first(pPr, tag), 'spcPts')?.getAttribute('val');
              return v ? Number(v) / 100 : null;
            };
            return {
              text: [...p.getElementsByTagNameNS(A, 't')].map((t) => t.textContent).join(''),
              size: rPr?.hasAttribute('sz') ? Number(rPr.getAttribute('sz')) / 100 : listSize ? Number(listSize) / 100 : null,
              bold: rPr?.getAttribute('b') === '1',
              pitch: points('lnSpc'),
              after: points('spcAft'),
              marL: pPr?.hasAttribute('marL') ? Number(pPr.getAttribute('marL')) : 0,
              bullet: Boolean(first(pPr, 'buChar')),
              rtl: pPr?.getAttribute('rtl') === '1',
              lang: rPr?.getAttribute('lang') ?? null,
              fonts: [...p.getElementsByTagNameNS(A, 'latin')].map((e) => e.getAttribute('typeface')!),
            };
          }),
        },
      ];
    }),
  });
  for (const { name, b64 } of parts) {
    let text: string;
    try {
      text = decoder.decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
    } catch {
      out.errors.push({ name, message: 'not UTF-8' });
      continue;
    }
    const doc = new DOMParser().parseFromString(text, 'application/xml');
    const error = doc.getElementsByTagName('parsererror')[0];
    if (error) {
      out.errors.push({ name, message: (error.textContent ?? '').slice(0, 300) });
      continue;
    }
    if (/^ppt\/(slides|notesSlides|slideLayouts)\/[^/]+\.xml$/.test(name)) out.docs[name] = describe(doc);
    if (name === 'ppt/theme/theme1.xml') out.theme = [...doc.getElementsByTagNameNS(A, 'latin')].map((e) => e.getAttribute('typeface')!);
  }
  return out;
}

interface Deck {
  rendered: RenderedDeck;
  zip: JSZip;
  parsed: Parsed;
  slides: Part[];
  notes: string[];
}

const slideNumber = (name: string) => Number(/(\d+)\.xml$/.exec(name)![1]);
const allText = (part: Part) => part.boxes.flatMap((b) => b.paragraphs.map((p) => p.text));
/** A section slide's points: its boxes are the label, the heading, the points, then the section number or slide number. */
const pointsOn = (slide: Part) => slide.boxes[2]!.paragraphs.map((p) => p.text);
/** A point's text without the ellipsis a continued one starts with, nor the zero-width spaces that break long words. */
const unbroken = (point: string) => point.replace(/^…/, '').replace(/\u200B/g, '');

// Arial's advance widths (1/1000 em) for U+0020–U+007E (Helvetica's AFM; Liberation Sans has the same).
const ARIAL = [
  '278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 556 556 556 278 278 584 584 584 556 1015 667 667 722 722 667 611 778 722 278 500 667 556 833 722 778 667 778 722 667 611 722 667 944 667 667 611 278 278 278 469 556 333 556 556 500 556 556 278 556 556 222 222 500 222 833 556 556 556 556 333 500 278 556 500 722 500 500 500 334 260 334 584',
  '278 333 474 556 556 889 722 238 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 556 556 556 333 333 584 584 584 611 975 722 722 722 722 667 611 778 722 278 556 722 611 833 722 778 667 778 722 667 611 722 667 944 667 667 611 333 278 333 584 556 333 556 611 556 611 556 333 611 611 278 278 556 278 889 611 611 611 611 389 556 333 611 556 778 556 556 500 389 280 389 584',
].map((row) => row.split(' ').map(Number));

/**
 * The least width `text` can take, pt: Arial's widths for ASCII, 1 em for CJK
 * and emoji, 0.4 em for anything else (narrower than any of it is drawn),
 * all on one line: a paragraph needs at least width ÷ line width lines.
 */
function leastWidth(text: string, size: number, bold: boolean): number {
  let em = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code >= 0x20 && code <= 0x7e) em += ARIAL[bold ? 1 : 0]![code - 0x20]! / 1000;
    else if (/[\u3000-\u9FFF\uAC00-\uD7A3\uFF00-\uFF60]|\p{Extended_Pictographic}/u.test(ch)) em += 1;
    else if (!/\p{M}|\p{Cf}|\uFE0F/u.test(ch)) em += 0.4;
  }
  return em * size;
}

/** How much a text box needs at least, and what it has, pt. */
function fill(box: TextBox): { needs: number; has: number } {
  const emu = 12700; // per pt
  const width = (box.w! - (box.lIns ?? 91440) - (box.rIns ?? 91440)) / emu;
  const has = (box.h! - (box.tIns ?? 45720) - (box.bIns ?? 45720)) / emu;
  let needs = 0;
  box.paragraphs.forEach((p, i) => {
    const size = p.size ?? 18;
    const lines = Math.max(1, Math.ceil(leastWidth(p.text, size, p.bold) / (width - p.marL / emu)));
    needs += lines * (p.pitch ?? size * 1.2) + (i < box.paragraphs.length - 1 ? (p.after ?? 0) : 0);
  });
  return { needs, has };
}

/** The compression method of every entry in the zip's central directory (8 = DEFLATE, 0 = stored). */
function compressionMethods(bytes: Buffer): Map<string, number> {
  let end = bytes.length - 22;
  while (end >= 0 && bytes.readUInt32LE(end) !== 0x06054b50) end--;
  assert.ok(end >= 0, 'no end of central directory record');
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  const methods = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    assert.equal(bytes.readUInt32LE(at), 0x02014b50, 'central directory entry signature');
    const nameLength = bytes.readUInt16LE(at + 28);
    methods.set(bytes.toString('utf8', at + 46, at + 46 + nameLength), bytes.readUInt16LE(at + 10));
    at += 46 + nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
  }
  return methods;
}

// ---------------------------------------------------------------------------

describe('lesson decks', () => {
  let browser: Browser | undefined;
  let page: Page | undefined;
  const decks = new Map<string, Deck>();
  const lessons: Record<string, LessonContent> = {
    ...Object.fromEntries(demoLessons.map((l, i) => [`demo ${i + 1}`, l])),
    hostile,
    many,
    'no sections': { title: 'Nothing yet', sections: [] },
  };

  before(async () => {
    const executablePath = findChromium();
    if (executablePath) {
      const { chromium } = await import('playwright-core');
      browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
      page = await browser.newPage();
      // tsx names the helpers inside parseInPage with a `__name()` call the page does not have.
      await page.evaluate('globalThis.__name = (f) => f');
    }
    for (const [name, lesson] of Object.entries(lessons)) {
      const rendered = await renderLessonDeck(lesson);
      const zip = await JSZip.loadAsync(rendered.bytes);
      let parsed: Parsed = { errors: [], docs: {}, theme: [] };
      if (page) {
        const parts = await Promise.all(
          Object.values(zip.files)
            .filter((f) => !f.dir && /\.(xml|rels)$/.test(f.name))
            .map(async (f) => ({ name: f.name, b64: await f.async('base64') })),
        );
        parsed = await page.evaluate(parseInPage, parts);
      }
      const slideNames = Object.keys(parsed.docs)
        .filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n))
        .sort((a, b) => slideNumber(a) - slideNumber(b));
      // A notes page holds the notes and a slide number field.
      const notes = slideNames.map((n) =>
        parsed.docs[`ppt/notesSlides/notesSlide${slideNumber(n)}.xml`]!.boxes.filter((b) => !b.field)
          .flatMap((b) => b.paragraphs.map((p) => p.text))
          .join('\n'),
      );
      decks.set(name, { rendered, zip, parsed, slides: slideNames.map((n) => parsed.docs[n]!), notes });
    }
  });
  after(() => browser?.close());

  const needsParser = (t: TestContext) => {
    if (!page) t.skip('no Chromium here to parse the XML (npm run test:browser installs it)');
    return Boolean(page);
  };
  const deck = (name: string) => decks.get(name)!;
  /** The slides whose label (the first text box) is `label`, e.g. 'OVERVIEW'. */
  const labelled = (d: Deck, label: string | RegExp) =>
    d.slides.filter((s) => (typeof label === 'string' ? allText(s)[0] === label : label.test(allText(s)[0] ?? '')));
  const sectionSlides = (d: Deck, heading: string) => d.slides.filter((s) => (allText(s)[1] ?? '').startsWith(heading));

  it('every part of every deck is well-formed XML in UTF-8', (t) => {
    if (!needsParser(t)) return;
    for (const [name, d] of decks) {
      assert.deepEqual(d.parsed.errors, [], `${name}: malformed parts`);
      assert.ok(d.slides.length > 0, `${name}: slides were parsed`);
    }
  });

  it('no text box holds more than it can show, none relies on shrink-to-fit, and no type is below 11 pt (section points 20 pt)', (t) => {
    if (!needsParser(t)) return;
    for (const [name, d] of decks) {
      for (const [i, slide] of d.slides.entries()) {
        for (const box of slide.boxes) {
          assert.equal(box.autofit, false, `${name} slide ${i + 1}: normAutofit (PowerPoint does not apply it on open)`);
          const { needs, has } = fill(box);
          assert.ok(
            needs <= has + 0.5,
            `${name} slide ${i + 1}: a box needs at least ${needs.toFixed(1)} pt and has ${has.toFixed(1)} pt: ${box.paragraphs[0]?.text.slice(0, 60)}`,
          );
          for (const p of box.paragraphs) {
            if (!p.text) continue;
            assert.ok((p.size ?? 18) >= 11, `${name} slide ${i + 1}: ${p.size} pt`);
            if (p.bullet) assert.ok(p.size! >= 20, `${name} slide ${i + 1}: a point in ${p.size} pt`);
          }
        }
      }
    }
  });

  it('has a title slide, an agenda, the sections, a summary; slide numbers and a footer; costCents is 2 + 1 a slide', (t) => {
    if (!needsParser(t)) return;
    const d = deck('demo 2'); // Running a Migration Assessment: four sections of one sentence
    const lesson = demoLessons[1]!;
    const [cover, agenda, ...rest] = d.slides;
    assert.deepEqual(allText(cover!).filter(Boolean), [
      'Acme Cloud',
      'Running a Migration Assessment',
      '5 March 2026',
      'Enablement lesson  ·  4 sections',
    ]);
    assert.deepEqual(allText(agenda!), ['OVERVIEW', 'Agenda', '01', '02', '03', '04', ...lesson.sections.map((s) => s.heading), '2']);
    const sections = rest.slice(0, -1);
    assert.deepEqual(
      sections.map((s) => allText(s).slice(0, 3)),
      lesson.sections.map((s, i) => [`SECTION ${i + 1} OF 4`, s.heading, s.body]),
    );
    const summary = rest.at(-1)!;
    assert.deepEqual(allText(summary).slice(0, 2), ['SUMMARY', 'What we covered']);
    for (const s of lesson.sections) assert.ok(allText(summary).includes(s.heading) && allText(summary).includes(s.body), s.heading);

    for (const [i, slide] of d.slides.entries()) {
      const numbered = slide.boxes.some((b) => b.field === 'slidenum' && b.paragraphs[0]!.text === String(i + 1));
      assert.equal(numbered, i > 0, `slide ${i + 1}: a slide number on all but the title slide`);
    }
    // The footer is on the content slides' layout.
    assert.ok(
      Object.entries(d.parsed.docs).some(
        ([n, part]) => n.startsWith('ppt/slideLayouts/') && allText(part).includes('Acme Cloud  ·  Running a Migration Assessment'),
      ),
    );
    assert.deepEqual(d.notes[2], 'Discovery\n\nInventory applications, dependencies and data gravity before proposing any move.');

    for (const [name, { rendered, zip }] of decks) {
      const slides = Object.keys(zip.files).filter((f) => /^ppt\/slides\/slide\d+\.xml$/.test(f)).length;
      assert.equal(rendered.slideCount, slides, name);
      assert.equal(rendered.costCents, 2 + slides, name);
    }
    assert.equal(deck('no sections').rendered.slideCount, 1, 'a lesson without sections is its title slide');
  });

  it('a long section continues on further slides headed "(continued)", and its notes, read in order, are its whole text', (t) => {
    if (!needsParser(t)) return;
    const d = deck('hostile');
    for (const [heading, chars, least] of [
      ['Twenty thousand characters', 20_000, 20],
      ['Three thousand characters', 3_000, 3],
    ] as const) {
      const slides = sectionSlides(d, heading);
      assert.ok(slides.length >= least, `${heading}: ${slides.length} slides`);
      assert.deepEqual(
        slides.map((s) => allText(s)[1]),
        slides.map((_, i) => (i ? `${heading} (continued)` : heading)),
      );
      const notes = slides.map((s) => d.notes[d.slides.indexOf(s)]!.split('\n\n').slice(1).join(' ')).join(' ');
      assert.equal(notes.replace(/\s+/g, ''), prose(chars).replace(/\s+/g, ''));
      // And the slides show it all: the points, ellipses dropped, are the text.
      const shown = slides.flatMap((s) => pointsOn(s).map(unbroken)).join(' ');
      assert.equal(shown.replace(/\s+/g, ''), prose(chars).replace(/\s+/g, ''));
    }
  });

  it('200 sections: the agenda runs over several slides and lists every heading once; the summary ends with how many more', (t) => {
    if (!needsParser(t)) return;
    const d = deck('many');
    const agenda = labelled(d, 'OVERVIEW');
    assert.ok(agenda.length >= 5, `${agenda.length} agenda slides`);
    assert.deepEqual(
      agenda.map((s) => allText(s)[1]),
      agenda.map((_, i) => (i ? 'Agenda (continued)' : 'Agenda')),
    );
    const listed = agenda.flatMap((s) => allText(s).filter((text) => text.startsWith('Heading number ')));
    assert.deepEqual(
      listed,
      many.sections.map((s) => s.heading),
    );
    assert.equal(labelled(d, /^SECTION \d+ OF 200$/).length, 200);
    assert.match(allText(labelled(d, 'SUMMARY')[0]!).join('\n'), /…and \d+ more sections: see the agenda\./);
  });

  it('characters XML refuses are dropped, Word line breaks split points, and the text around them survives', (t) => {
    if (!needsParser(t)) return;
    const d = deck('hostile');
    const [pasted] = sectionSlides(d, 'Pasted from Word');
    assert.deepEqual(allText(pasted!).slice(1, 7), [
      'Pasted from Word',
      'First line',
      'second line with a bell.',
      'a list item',
      'another item',
      'lone surrogate at the end',
    ]);
    const [controls] = sectionSlides(d, 'Control characters');
    assert.equal(allText(controls!)[1], 'Control characters');
    assert.deepEqual(allText(controls!).slice(2, 4), [
      'Bell, escape, DEL and C1 are gone.',
      'Markup like <b>this</b> & "quotes" stays text.',
    ]);
    assert.deepEqual(allText(d.slides[0]!).slice(0, 2), ['Footer Org', 'Hostile lesson']);
  });

  it('right-to-left paragraphs are marked rtl with their language; emoji, CJK and very long words come through', (t) => {
    if (!needsParser(t)) return;
    const d = deck('hostile');
    for (const [heading, body, lang] of [
      ['עברית', HEBREW, 'he-IL'],
      ['العربية', ARABIC, 'ar-SA'],
    ] as const) {
      const slide = sectionSlides(d, heading)[0]!;
      const paragraphs = slide.boxes.flatMap((b) => b.paragraphs).filter((p) => p.text && body.includes(p.text));
      assert.equal(paragraphs.length, 2, heading);
      for (const p of paragraphs) assert.deepEqual([p.rtl, p.lang], [true, lang], p.text);
      const title = slide.boxes[1]!.paragraphs[0]!;
      assert.deepEqual([title.text, title.rtl], [heading, true]);
    }
    const english = sectionSlides(d, 'Emoji')[0]!
      .boxes.flatMap((b) => b.paragraphs)
      .find((p) => p.text === EMOJI);
    assert.deepEqual([english?.rtl, english?.lang], [false, 'en-US']);
    const word = sectionSlides(d, 'A very long word')
      .flatMap((s) => pointsOn(s).map(unbroken))
      .join('');
    assert.equal(word, LONG_WORD);
    assert.ok(pointsOn(sectionSlides(d, '日本語のセクション')[0]!).includes('これは日本語の文章です。'));
  });

  it('a section with neither heading nor text makes no slide; a heading alone, a divider; a body alone, "Section n"', (t) => {
    if (!needsParser(t)) return;
    const d = deck('hostile');
    const labels = labelled(d, /^SECTION /).map((s) => allText(s)[0]);
    assert.ok(
      labels.every((l) => l!.endsWith(' OF 12')),
      'twelve sections: the empty one is left out',
    );
    const divider = sectionSlides(d, 'Only a heading');
    assert.equal(divider.length, 1);
    assert.deepEqual(allText(divider[0]!).slice(0, 2), ['SECTION 8 OF 12', 'Only a heading']);
    assert.deepEqual(allText(sectionSlides(d, 'Section 9')[0]!).slice(1, 3), ['Section 9', 'A body without a heading.']);
    const long = sectionSlides(d, 'A heading far too long')[0]!;
    assert.match(allText(long)[1]!, /…$/);
  });

  it('uses Arial in the theme and in every run; the accent follows the organisation, or accentColor', (t) => {
    if (!needsParser(t)) return;
    for (const [name, d] of decks) {
      assert.deepEqual([...new Set(d.parsed.theme)], ['Arial'], `${name}: theme fonts`);
      const fonts = new Set(d.slides.flatMap((s) => s.boxes.flatMap((b) => b.paragraphs.flatMap((p) => p.fonts))));
      assert.deepEqual([...fonts], ['Arial'], name);
    }
    const acme = deck('demo 1').slides[0]!.background;
    assert.equal(acme, accentFor({ organizationId: demoLessons[0]!.organizationId }));
    assert.equal(deck('demo 2').slides[0]!.background, acme, 'the same organisation, the same colour');
    assert.ok(ACCENTS.includes(acme as (typeof ACCENTS)[number]));
    assert.equal(deck('no sections').slides[0]!.background, ACCENTS[0]);
    assert.ok(
      new Set(Array.from({ length: 20 }, (_, i) => accentFor({ organizationId: `org-${i}` }))).size >= 4,
      'organisations get different colours',
    );
    assert.equal(accentFor({ accentColor: '#12ab34', organizationId: 'x' }), '12AB34');
    assert.equal(
      accentFor({ accentColor: 'red', organizationId: 'x' }),
      accentFor({ organizationId: 'x' }),
      'not a colour: the derived one',
    );
  });

  it('every part is DEFLATE-compressed, and the deck still loads in jszip', async () => {
    for (const [name, { rendered }] of decks) {
      // The folder entries jszip adds hold no data: stored is all they can be.
      const methods = new Map([...compressionMethods(rendered.bytes)].filter(([entry]) => !entry.endsWith('/')));
      assert.ok(methods.size > 10, name);
      assert.deepEqual(
        [...methods].filter(([, m]) => m !== 8),
        [],
        `${name}: parts not DEFLATE-compressed`,
      );
      const zip = await JSZip.loadAsync(rendered.bytes);
      assert.match(await zip.file('ppt/presentation.xml')!.async('string'), /<p:presentation /);
    }
    // A demo deck is a fraction of the 64 KB its four slides took stored.
    assert.ok(deck('demo 1').rendered.bytes.length < 40_000, `${deck('demo 1').rendered.bytes.length} bytes`);
  });

  it('LibreOffice opens the decks: a PDF page a slide, every word on the page and above the footer, the footer alone below', (t) => {
    const found = (command: string, flag: string) => !spawnSync(command, [flag], { stdio: 'ignore' }).error;
    if (!found('soffice', '--version') || !found('pdftotext', '-v'))
      return t.skip("no LibreOffice or poppler here (Debian's libreoffice-impress and poppler-utils)");
    const dir = mkdtempSync(join(tmpdir(), 'deck-test-'));
    try {
      for (const name of ['hostile', 'demo 1']) {
        const d = deck(name);
        const pptx = join(dir, `${name.replace(/\W/g, '-')}.pptx`);
        writeFileSync(pptx, d.rendered.bytes);
        const converted = spawnSync(
          'soffice',
          [`-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, pptx],
          { encoding: 'utf8', timeout: 240_000 },
        );
        assert.equal(converted.status, 0, converted.stderr);
        const bbox = join(dir, 'bbox.html');
        assert.equal(spawnSync('pdftotext', ['-bbox', pptx.replace(/\.pptx$/, '.pdf'), bbox]).status, 0);
        const pages = readFileSync(bbox, 'utf8').split('<page ').slice(1);
        assert.equal(pages.length, d.rendered.slideCount, `${name}: pages`);
        const lesson = lessons[name]!;
        // eslint-disable-next-line no-control-regex -- the footer drops control characters; so does the expectation
        const footerWords = new Set([...`${lesson.organizationName} · ${lesson.title}`.replace(/[\u0000-\u001F]/g, '').split(/\s+/)]);
        const words: string[] = [];
        pages.forEach((p, i) => {
          for (const [, x0, y0, x1, y1, word] of p.matchAll(
            /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g,
          )) {
            const [xMin, yMin, xMax, yMax] = [x0, y0, x1, y1].map(Number) as [number, number, number, number];
            const where = `${name} page ${i + 1}: "${word}" at ${xMin.toFixed(0)},${yMin.toFixed(0)}–${xMax.toFixed(0)},${yMax.toFixed(0)} pt`;
            words.push(word!);
            assert.ok(xMin >= 0 && xMax <= 13.333 * 72 && yMax <= 7.5 * 72, `${where}: off the page`);
            if (i === 0) continue;
            assert.ok(xMin >= 0.75 * 72 - 2 && xMax <= (13.333 - 0.75) * 72 + 2, `${where}: outside the margins`);
            // Under the footer's rule (6.86 in) only the footer and the slide number; above it nothing lower than the body's bottom (6.62 in).
            if (yMin >= 6.86 * 72)
              assert.ok(footerWords.has(word!.replace(/&amp;/g, '&')) || /^\d+$/.test(word!), `${where}: below the footer rule`);
            else assert.ok(yMax <= 6.62 * 72 + 2, `${where}: below the body`);
          }
        });
        if (name === 'hostile') {
          const text = words.join(' ');
          for (const expected of ['second line with a bell.', 'lone surrogate at the end', 'Bell, escape, DEL and C1 are gone.'])
            assert.ok(text.includes(expected), expected);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
