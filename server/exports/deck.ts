import pptxgen from 'pptxgenjs';

// pptxgenjs's types describe its CommonJS build, but Node loads its ES build, whose
// default export is the class itself.
const PptxGenJS = pptxgen as unknown as typeof pptxgen.default;
type Presentation = InstanceType<typeof PptxGenJS>;
type Slide = ReturnType<Presentation['addSlide']>;
type TextRun = pptxgen.default.TextProps;

export interface LessonContent {
  title: string;
  sections: { heading: string; body: string }[];
  /** On the title slide and in every footer; left out when unknown. */
  organizationName?: string;
  /** What the accent colour is derived from (stable across renames); the name when absent. */
  organizationId?: string;
  /** `RRGGBB` (a `#` is allowed); overrides the derived accent. */
  accentColor?: string;
  /** The title slide's date; the time of rendering when absent. */
  date?: Date;
}

export interface RenderedDeck {
  bytes: Buffer;
  slideCount: number;
  costCents: number;
  model: string;
}

/** The renderer's name, reported as `model`: the reference server calls no paid model. */
export const RENDERER_MODEL = 'pptxgenjs-reference-renderer';

/**
 * What an export costs, in US cents: a base of 2 cents plus 1 cent per slide
 * made (title, agenda, every section slide and continuation, summary). A real
 * deployment bills its model's tokens; this formula only keeps `costCents`
 * realistic and testable.
 */
export function exportCostCents(slideCount: number): number {
  return 2 + slideCount;
}

// ---------------------------------------------------------------------------
// Text that is safe in XML

/**
 * Characters XML 1.0 does not allow: C0 controls but tab and newlines (one
 * makes the part malformed, since pptxgenjs escapes only `&<>"'`, and the
 * slide's text is lost), U+FFFE/U+FFFF, and lone surrogates (the UTF-8
 * encoder would write them as U+FFFD, a visible "�"). Also DEL, the C1
 * controls and U+FEFF, which XML allows but which mean nothing on a slide.
 */
const NOT_XML = /[^\t\n\r\u0020-\u007E\u00A0-\uD7FF\uE000-\uFEFE\uFF00-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/**
 * Text as it may reach pptxgenjs: line and paragraph separators become
 * newlines (U+000B is Word's line break, U+000C a page break), tabs and
 * runs of spaces one space, everything XML refuses is dropped.
 */
export function safeText(text: unknown): string {
  return (
    String(text ?? '')
      // eslint-disable-next-line no-control-regex -- U+000B and U+000C are line breaks to keep (see above)
      .replace(/\r\n?|[\u000B\u000C\u0085\u2028]/g, '\n')
      .replace(/\u2029/g, '\n\n')
      .replace(NOT_XML, '')
      .replace(/[\t ]+/g, ' ')
      .replace(/ *\n */g, '\n')
      .trim()
  );
}

// ---------------------------------------------------------------------------
// Measuring text without a font engine

/**
 * Arial, because it is the one face all four targets draw with the same
 * metrics: PowerPoint (Windows, Mac) and Keynote have it, Google Slides
 * offers it, and LibreOffice substitutes Liberation Sans, which is
 * metric-compatible, so a line measured here wraps the same everywhere.
 * Emoji, CJK and scripts Arial lacks fall back per glyph in every app.
 */
export const FONT = 'Arial';

const graphemeSegmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
const sentenceSegmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
const graphemes = (text: string) => Array.from(graphemeSegmenter.segment(text), (s) => s.segment);

/**
 * Arial's advance widths (1/1000 em) for U+0020–U+007E, regular and bold: the
 * same as Helvetica's (Adobe's AFMs), which Arial was drawn to match, and as
 * Liberation Sans's, which matches Arial.
 */
const ASCII = [
  '278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 556 556 556 278 278 584 584 584 556 1015 667 667 722 722 667 611 778 722 278 500 667 556 833 722 778 667 778 722 667 611 722 667 944 667 667 611 278 278 278 469 556 333 556 556 500 556 556 278 556 556 222 222 500 222 833 556 556 556 556 333 500 278 556 500 722 500 500 500 334 260 334 584',
  '278 333 474 556 556 889 722 238 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 556 556 556 333 333 584 584 584 611 975 722 722 722 722 667 611 778 722 278 556 722 611 833 722 778 667 778 722 667 611 722 667 944 667 667 611 333 278 333 584 556 333 556 611 556 611 556 333 611 611 278 278 556 278 889 611 611 611 611 389 556 333 611 556 778 556 556 500 389 280 389 584',
].map((row) => row.split(' ').map((n) => Number(n) / 1000));
const OTHER: Record<string, [number, number]> = {
  '\u00A0': [0.278, 0.278],
  '…': [1, 1],
  '—': [1, 1],
  '–': [0.556, 0.556],
  '‘': [0.222, 0.278],
  '’': [0.222, 0.278],
  '“': [0.333, 0.5],
  '”': [0.333, 0.5],
  '•': [0.35, 0.35],
  '·': [0.278, 0.278],
  '€': [0.556, 0.556],
  '£': [0.556, 0.556],
  '©': [0.737, 0.737],
  '®': [0.737, 0.737],
  '×': [0.584, 0.584],
  '°': [0.4, 0.4],
};
const WIDE =
  /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{20000}-\u{3FFFD}]/u;
const PICTOGRAPH = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;
const EMOJI_SEQUENCE = /[\uFE0F\u20E3\u200D]|\p{Extended_Pictographic}|\p{Regional_Indicator}/u;

/**
 * A grapheme's advance in em: Arial's own for ASCII and the common
 * typographic marks, its base letter's for accented Latin (é as e), 1 em for
 * CJK, 1.3 for emoji (colour emoji fonts are wider than square) and 0.75 for
 * any other script (Cyrillic, Greek, Hebrew, Arabic; wider than Arial's and
 * than the fallback faces'). Kerning only narrows text, so a line measured
 * with these is never shorter than it is drawn.
 */
function advance(grapheme: string, bold: boolean): number {
  // Before the letter tables: a keycap (1️⃣) or a flag starts with an ordinary character.
  if (grapheme.length > 1 && EMOJI_SEQUENCE.test(grapheme)) return 1.3;
  const code = grapheme.charCodeAt(0);
  if (code >= 0x20 && code <= 0x7e) return ASCII[bold ? 1 : 0]![code - 0x20]!;
  const other = OTHER[grapheme[0]!];
  if (other) return other[bold ? 1 : 0];
  if (PICTOGRAPH.test(grapheme)) return 1.3;
  if (WIDE.test(grapheme)) return 1.0;
  const base = grapheme.normalize('NFD').charCodeAt(0);
  if (base >= 0x20 && base <= 0x7e) return ASCII[bold ? 1 : 0]![base - 0x20]!;
  return 0.75;
}
/**
 * Lines are filled to this share of a box's width: room for rounding in the
 * apps' own layout, and for a fallback face a little wider than Arial.
 */
const FILL = 0.96;

interface TextStyle {
  /** Font size, pt. */
  size: number;
  /** Exact line pitch, pt (written as fixed line spacing, so every app uses it). */
  line: number;
  bold: boolean;
  /** Extra space after each character, pt (pptxgenjs `charSpacing`). */
  tracking?: number;
}

/** A grapheme's advance in em in `style`. */
const advanceIn = (grapheme: string, style: TextStyle) => advance(grapheme, style.bold) + (style.tracking ?? 0) / style.size;

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

function widthEm(text: string, style: TextStyle): number {
  let w = 0;
  // Most text is ASCII, where a character is a grapheme: no segmenter needed.
  if (PRINTABLE_ASCII.test(text)) {
    const row = ASCII[style.bold ? 1 : 0]!;
    for (let i = 0; i < text.length; i++) w += row[text.charCodeAt(i) - 0x20]!;
    return w + (text.length * (style.tracking ?? 0)) / style.size;
  }
  for (const g of graphemes(text)) w += advanceIn(g, style);
  return w;
}

/**
 * Where a greedy wrap breaks `text` in a box `width` pt wide: the start of
 * every line (offsets into `text`, first 0). Breaks at spaces; a word longer
 * than a line starts a line and is broken between graphemes, as PowerPoint
 * and LibreOffice do (or better: they may start it on the line before).
 */
function lineStarts(text: string, style: TextStyle, width: number): number[] {
  const max = (width * FILL) / style.size;
  const starts = [0];
  let used = 0;
  let offset = 0;
  for (const token of text.split(BREAKS)) {
    if (!token) continue;
    const at = offset;
    offset += token.length;
    if (token[0] === ' ' || token === ZWSP) {
      // Spaces hang at the end of a line and are not drawn at its start.
      if (used > 0) used += widthEm(token, style);
      else starts[starts.length - 1] = offset;
      continue;
    }
    const w = widthEm(token, style);
    if (used + w <= max) {
      used += w;
      continue;
    }
    if (used > 0) {
      starts.push(at);
      used = 0;
    }
    if (w <= max) {
      used = w;
      continue;
    }
    let g = at;
    for (const piece of graphemes(token)) {
      const pw = advanceIn(piece, style);
      if (used + pw > max && used > 0) {
        starts.push(g);
        used = 0;
      }
      used += pw;
      g += piece.length;
    }
  }
  return starts;
}

const linesOf = (text: string, style: TextStyle, width: number) => lineStarts(text, style, width).length;

const ZWSP = '\u200B';
const BREAKS = /( +|\u200B)/;
const trimBreaks = (text: string) => text.replace(/^[\s\u200B]+|[\s\u200B]+$/g, '');
/** Text for the notes and the document properties, where nothing wraps. */
const withoutBreaks = (text: string) => text.replace(/\u200B/g, '');

/** The widest a piece of a broken word may be, em: a line less the ellipsis a continued point starts with. */
const pieceMax = (style: TextStyle, width: number) => (width * FILL) / style.size - advanceIn('…', style);

/**
 * Words wider than a line (a URL, a pasted hash, "aaaa…") cut into pieces
 * that fit, joined by U+200B ZERO WIDTH SPACE: a break opportunity every app
 * honours, so they wrap where they were measured rather than where each app's
 * emergency breaking puts them (LibreOffice's leaves lines short, and the text
 * ran past its box).
 */
function breakLongWords(text: string, style: TextStyle, width: number): string {
  const max = pieceMax(style, width);
  return text
    .split(BREAKS)
    .map((token) => {
      if (!token || token[0] === ' ' || token === ZWSP || widthEm(token, style) <= max) return token;
      const pieces: string[] = [];
      let piece = '';
      let used = 0;
      for (const g of graphemes(token)) {
        const w = advanceIn(g, style);
        if (used + w > max && piece) {
          pieces.push(piece);
          piece = '';
          used = 0;
        }
        piece += g;
        used += w;
      }
      pieces.push(piece);
      return pieces.join(ZWSP);
    })
    .join('');
}

/** `text` cut to at most `maxLines` lines, with an ellipsis when cut. */
function truncate(original: string, style: TextStyle, width: number, maxLines: number): string {
  const text = breakLongWords(original, style, width);
  const starts = lineStarts(text, style, width);
  if (starts.length <= maxLines) return text;
  const kept = graphemes(trimBreaks(text.slice(0, starts[maxLines])));
  while (kept.length && linesOf(`${trimBreaks(kept.join(''))}…`, style, width) > maxLines) kept.pop();
  return `${trimBreaks(kept.join(''))}…`;
}

// ---------------------------------------------------------------------------
// Direction

const RTL_SCRIPT = /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;
const LETTER = /\p{L}/u;

/** Paragraph options for text whose first letter is right-to-left (the Unicode bidi rule for a paragraph's direction). */
function direction(text: string): Pick<pptxgen.default.TextPropsOptions, 'rtlMode' | 'lang' | 'align'> {
  const first = LETTER.exec(text)?.[0];
  if (!first || !RTL_SCRIPT.test(first)) return {};
  return { rtlMode: true, align: 'right', lang: /\p{Script=Hebrew}/u.test(first) ? 'he-IL' : 'ar-SA' };
}

// ---------------------------------------------------------------------------
// The layout: LAYOUT_WIDE, 13.333 × 7.5 in. Positions in inches, type in pt.

const PAGE_W = 13.333;
const MARGIN_X = 0.75;
const CONTENT_W = PAGE_W - 2 * MARGIN_X;
/** pptxgenjs's default text box insets: 0.1 in left and right, 0.05 in top and bottom (pt, both sides). */
const INSET_X = 14.4;
const INSET_Y = 7.2;
const pt = (inches: number) => inches * 72;
const boxHeight = (lines: number, style: TextStyle, extra = 0) => (lines * style.line + extra + INSET_Y) / 72;

const LABEL: TextStyle = { size: 13, line: 16, bold: true, tracking: 1.5 };
const HEADING: TextStyle = { size: 30, line: 36, bold: true };
/** Section text. 22 pt on a 13.3 in slide reads from the back of a room; ~70 characters a line. */
const BODY: TextStyle = { size: 22, line: 29, bold: false };
/**
 * A short section's text (three points, six lines at most), larger and in a
 * narrower column instead of lost at the top of an empty slide.
 */
const STATEMENT: TextStyle = { size: 30, line: 40, bold: false };
const STATEMENT_W = 9.4;
const RECAP: TextStyle = { size: 18, line: 24, bold: false };
const FOOTER: TextStyle = { size: 11, line: 14, bold: false };
/** Space after each point, pt. */
const POINT_GAP = 10;
const STATEMENT_GAP = 14;
const SUMMARY_GAP = 8;
/** Bullet hanging indent, pt. */
const BULLET_INDENT = 22;
const HEADING_LINES = 2;
const HEADING_Y = 0.8;
const BODY_BOTTOM = 6.62;
const COLUMN_GAP = 0.5;
const COLUMN_W = (CONTENT_W - COLUMN_GAP) / 2;
/** Width of the accent number column beside agenda and summary entries. */
const NUMBER_W = 0.85;

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Where the rule and the body go under a heading of `lines` lines. */
function underHeading(lines: number): { ruleY: number; body: Box } {
  const ruleY = HEADING_Y + boxHeight(lines, HEADING) + 0.1;
  const top = ruleY + 0.07 + 0.22;
  return { ruleY, body: { x: MARGIN_X, y: top, w: CONTENT_W, h: BODY_BOTTOM - top } };
}
/** What a body box holds, pt: the budget a page of points is packed into. */
const capacityOf = (box: Box) => pt(box.h) - INSET_Y;
const textWidth = (box: Box | number) => pt(typeof box === 'number' ? box : box.w) - INSET_X;
const POINT_WIDTH = textWidth(CONTENT_W) - BULLET_INDENT;
/** Agenda entries per column (one line each) under a one-line heading. */
const AGENDA_ROWS = Math.floor((capacityOf(underHeading(1).body) + POINT_GAP) / (BODY.line + POINT_GAP));

const INK = '111827';
const TEXT = '374151';
const MUTED = '6B7280';

/** Accents that carry white text at a contrast of at least 5:1 (WCAG AA at any size). */
export const ACCENTS = ['4F46E5', '1D4ED8', '0F766E', '15803D', '7E22CE', 'BE123C', 'C2410C', '0369A1'] as const;

/**
 * The given accent if it is a colour, else one of ACCENTS picked by a hash
 * (FNV-1a) of the organisation, so each organisation keeps its colour from
 * one export to the next; the first without an organisation.
 */
export function accentFor(lesson: Pick<LessonContent, 'accentColor' | 'organizationId' | 'organizationName'>): string {
  const given = /^#?([0-9a-f]{6})$/i.exec(lesson.accentColor ?? '')?.[1];
  if (given) return given.toUpperCase();
  const seed = lesson.organizationId || lesson.organizationName;
  if (!seed) return ACCENTS[0];
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
  return ACCENTS[(h >>> 0) % ACCENTS.length]!;
}

// ---------------------------------------------------------------------------
// From a section to points to pages

const LIST_MARKER = /^(?:[-*•‣◦▪–—]|\d{1,3}[.)]|[a-z][.)])\s+/i;

/** A body's points: each sentence of each line, list markers dropped (the slide draws its own bullets). */
function pointsOf(body: string): string[] {
  const points: string[] = [];
  for (const line of body.split(/\n+/)) {
    const paragraph = line.replace(LIST_MARKER, '').trim();
    if (!paragraph) continue;
    for (const { segment } of sentenceSegmenter.segment(paragraph)) {
      const text = segment.trim();
      if (text) points.push(text);
    }
  }
  return points;
}

/** A point, or the part of one, on a page; a continued one starts with an ellipsis. */
interface Piece {
  shown: string;
  continued: boolean;
}

/** A piece's own text, for the notes: no ellipsis, no break opportunities. */
const pieceText = (piece: Piece) => withoutBreaks(piece.continued ? piece.shown.slice(1) : piece.shown);

/**
 * Points (long words already broken for BODY) packed into pages of at most
 * `capacity` pt. A point that does not fit what is left is split at a line
 * break when at least two of its lines fit, and continues after an ellipsis
 * on the next page; otherwise it moves there whole. Nothing is shrunk.
 */
function paginate(points: string[], capacity: number): Piece[][] {
  const pages: Piece[][] = [];
  let page: Piece[] = [];
  let used = 0;
  const queue: Piece[] = points.map((shown) => ({ shown, continued: false }));
  while (queue.length) {
    const piece = queue.shift()!;
    const starts = lineStarts(piece.shown, BODY, POINT_WIDTH);
    const cost = starts.length * BODY.line + POINT_GAP;
    if (used + cost <= capacity) {
      page.push(piece);
      used += cost;
      continue;
    }
    const fit = Math.floor((capacity - used - POINT_GAP) / BODY.line);
    if (fit >= 2 || (fit >= 1 && !page.length)) {
      page.push({ shown: trimBreaks(piece.shown.slice(0, starts[fit])), continued: piece.continued });
      queue.unshift({ shown: `…${trimBreaks(piece.shown.slice(starts[fit]))}`, continued: true });
    } else {
      queue.unshift(piece);
    }
    pages.push(page);
    page = [];
    used = 0;
  }
  if (page.length || !pages.length) pages.push(page);
  return pages;
}

/** True when a section's points fit one page in STATEMENT type: few and short. */
function isStatement(points: string[], capacity: number): boolean {
  if (!points.length || points.length > 3) return false;
  const width = textWidth(STATEMENT_W) - (points.length > 1 ? BULLET_INDENT : 0);
  // Words broken for BODY lines are too wide for these.
  if (points.some((p) => p.split(BREAKS).some((word) => widthEm(word, STATEMENT) > pieceMax(STATEMENT, width)))) return false;
  const lines = points.reduce((n, p) => n + linesOf(p, STATEMENT, width), 0);
  return lines <= 6 && lines * STATEMENT.line + points.length * STATEMENT_GAP <= capacity;
}

// ---------------------------------------------------------------------------
// Slides

const textOptions = (style: TextStyle, color: string) => ({
  fontFace: FONT,
  fontSize: style.size,
  lineSpacing: style.line,
  bold: style.bold,
  ...(style.tracking ? { charSpacing: style.tracking } : {}),
  color,
});

const CONTENT_MASTER = 'LESSON_CONTENT';

function defineMaster(pptx: Presentation, accent: string, footer: string): void {
  const y = 6.94;
  pptx.defineSlideMaster({
    title: CONTENT_MASTER,
    background: { color: 'FFFFFF' },
    objects: [
      { rect: { x: 0, y: 0, w: PAGE_W, h: 0.14, fill: { color: accent }, line: { color: accent, width: 0 } } },
      { line: { x: MARGIN_X + 0.1, y: 6.86, w: CONTENT_W - 0.2, h: 0, line: { color: 'E5E7EB', width: 0.75 } } },
      {
        text: {
          text: footer,
          options: { x: MARGIN_X, y, w: CONTENT_W - 1.2, h: boxHeight(1, FOOTER), valign: 'top', ...textOptions(FOOTER, MUTED) },
        },
      },
    ],
    slideNumber: {
      x: PAGE_W - MARGIN_X - 1,
      y,
      w: 1,
      h: boxHeight(1, FOOTER),
      align: 'right',
      valign: 'top',
      fontFace: FONT,
      fontSize: FOOTER.size,
      color: MUTED,
    },
  });
}

/** The small capitals line above a heading ("SECTION 2 OF 5"). */
function addLabel(slide: Slide, text: string, accent: string): void {
  slide.addText(truncate(text.toUpperCase(), LABEL, textWidth(CONTENT_W), 1), {
    x: MARGIN_X,
    y: 0.42,
    w: CONTENT_W,
    h: boxHeight(1, LABEL),
    valign: 'top',
    ...textOptions(LABEL, accent),
  });
}

/** A heading cut to HEADING_LINES; a suffix ("(continued)") survives the cut: it says what the slide is. */
function headingText(heading: string, suffix = ''): string {
  if (!suffix) return truncate(heading, HEADING, textWidth(CONTENT_W), HEADING_LINES);
  const cut = truncate(heading, HEADING, textWidth(CONTENT_W) - widthEm(` ${suffix}`, HEADING) * HEADING.size, HEADING_LINES);
  return `${cut} ${suffix}`;
}

/** Adds a heading of `lines` lines (the box is that tall, the text anchored at its bottom) and its rule. */
function addHeading(slide: Slide, text: string, lines: number, accent: string): Box {
  const { ruleY, body } = underHeading(lines);
  slide.addText(text, {
    x: MARGIN_X,
    y: HEADING_Y,
    w: CONTENT_W,
    h: boxHeight(lines, HEADING),
    valign: 'bottom',
    ...direction(text),
    ...textOptions(HEADING, INK),
  });
  addRule(slide, ruleY, accent, Boolean(direction(text).rtlMode));
  return body;
}

/** The short accent bar under a heading; on the right under a right-to-left one. */
function addRule(slide: Slide, y: number, accent: string, rtl: boolean): void {
  const w = 1.1;
  slide.addShape('rect', {
    x: rtl ? MARGIN_X + CONTENT_W - 0.1 - w : MARGIN_X + 0.1,
    y,
    w,
    h: 0.07,
    fill: { color: accent },
    line: { color: accent, width: 0 },
  });
}

/** A section with a heading and no body: its heading, large, as a divider. */
function addDivider(slide: Slide, heading: string, accent: string): void {
  const style: TextStyle = { size: 40, line: 48, bold: true };
  const box = { x: MARGIN_X, y: 1.75, w: CONTENT_W, h: boxHeight(3, style) };
  slide.addText(truncate(heading, style, textWidth(CONTENT_W), 3), {
    ...box,
    valign: 'bottom',
    ...direction(heading),
    ...textOptions(style, INK),
  });
  addRule(slide, box.y + box.h + 0.15, accent, Boolean(direction(heading).rtlMode));
}

function addPoints(slide: Slide, points: string[], box: Box, style: TextStyle, gap: number): void {
  const bullets = points.length > 1 || style === BODY;
  const runs: TextRun[] = points.map((text) => ({
    text,
    options: { ...(bullets ? { bullet: { indent: BULLET_INDENT } } : {}), paraSpaceAfter: gap, breakLine: true, ...direction(text) },
  }));
  slide.addText(runs, { ...box, valign: 'top', ...textOptions(style, TEXT) });
}

/** The section's number, large and faint in the free corner of a short section's slide. */
function addBigNumber(slide: Slide, n: number, accent: string, body: Box): void {
  const style: TextStyle = { size: 150, line: 160, bold: true };
  // Right-aligned two digits stay clear of the statement column; three would not.
  if (n > 99) return;
  const w = 3.2;
  const h = boxHeight(1, style);
  // Raised by its descent, which would otherwise hang below the body area.
  const y = body.y + body.h - h - 0.3;
  slide.addText(String(n).padStart(2, '0'), {
    x: MARGIN_X + CONTENT_W - w,
    y,
    w,
    h,
    align: 'right',
    valign: 'bottom',
    transparency: 82,
    ...textOptions(style, accent),
  });
}

/**
 * A column of accent numbers, one per entry, each paragraph as tall as its
 * entry (`recap`: a RECAP line under the BODY line) so the numbers stay level
 * with the entries in the box beside it: every line has a fixed pitch.
 */
function addNumbers(slide: Slide, box: Box, entries: { number: string; recap: boolean }[], accent: string, gap: number): void {
  if (!entries.length) return;
  slide.addText(
    entries.map((e) => ({ text: e.number, options: { breakLine: true, paraSpaceAfter: gap + (e.recap ? RECAP.line : 0) } })),
    { x: box.x, y: box.y, w: NUMBER_W, h: box.h, valign: 'top', ...textOptions({ ...BODY, bold: true }, accent) },
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

// ---------------------------------------------------------------------------

/**
 * Builds a real .pptx: a title slide (lesson, organisation, date), an agenda,
 * each section as readable points (continued on further slides when long),
 * a summary; the full text in the speaker notes, slide numbers and a footer
 * on all but the title slide. DEFLATE-compressed.
 */
export async function renderLessonDeck(lesson: LessonContent): Promise<RenderedDeck> {
  const oneLine = (text: unknown) => safeText(text).replace(/\n+/g, ' ');
  const title = oneLine(lesson.title) || 'Untitled lesson';
  const organization = oneLine(lesson.organizationName);
  const accent = accentFor(lesson);
  const date = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    lesson.date ?? new Date(),
  );
  // A section with neither heading nor text has nothing to show; one without a heading is named by its place.
  const sections = (lesson.sections ?? [])
    .map((s) => ({ heading: oneLine(s?.heading), body: safeText(s?.body) }))
    .filter((s) => s.heading || s.body)
    .map((s, i) => ({ heading: s.heading || `Section ${i + 1}`, body: s.body, points: pointsOf(s.body) }));

  const pptx = new PptxGenJS();
  pptx.layout = 'LAYOUT_WIDE';
  pptx.theme = { headFontFace: FONT, bodyFontFace: FONT };
  pptx.title = title;
  pptx.subject = 'Enablement lesson';
  pptx.author = organization || 'PartnerOS';
  pptx.company = organization || 'PartnerOS';
  defineMaster(pptx, accent, truncate(organization ? `${organization}  ·  ${title}` : title, FOOTER, textWidth(CONTENT_W - 1.2), 1));

  // Title slide.
  const cover = pptx.addSlide();
  cover.background = { color: accent };
  // Two faint discs, partly off the slide: depth behind the title without an image to ship.
  cover.addShape('ellipse', {
    x: 8.9,
    y: -1.6,
    w: 6.4,
    h: 6.4,
    fill: { color: 'FFFFFF', transparency: 92 },
    line: { color: 'FFFFFF', transparency: 100, width: 0 },
  });
  cover.addShape('ellipse', {
    x: 10.9,
    y: 4.1,
    w: 3.8,
    h: 3.8,
    fill: { color: 'FFFFFF', transparency: 88 },
    line: { color: 'FFFFFF', transparency: 100, width: 0 },
  });
  const ORG: TextStyle = { size: 18, line: 22, bold: true, tracking: 1 };
  const TITLE: TextStyle = { size: 44, line: 52, bold: true };
  const DATE: TextStyle = { size: 20, line: 26, bold: false };
  const NOTE: TextStyle = { size: 13, line: 16, bold: false };
  if (organization) {
    cover.addText(truncate(organization, ORG, textWidth(CONTENT_W), 1), {
      x: MARGIN_X,
      y: 0.7,
      w: CONTENT_W,
      h: boxHeight(1, ORG),
      valign: 'top',
      ...direction(organization),
      ...textOptions(ORG, 'FFFFFF'),
    });
  }
  const titleBox = { x: MARGIN_X, y: 1.55, w: CONTENT_W, h: boxHeight(3, TITLE) };
  cover.addText(truncate(title, TITLE, textWidth(CONTENT_W), 3), {
    ...titleBox,
    valign: 'bottom',
    ...direction(title),
    ...textOptions(TITLE, 'FFFFFF'),
  });
  const below = titleBox.y + titleBox.h;
  cover.addShape('rect', {
    x: MARGIN_X + 0.1,
    y: below + 0.25,
    w: 1.4,
    h: 0.08,
    fill: { color: 'FFFFFF' },
    line: { color: 'FFFFFF', width: 0 },
  });
  cover.addText(date, { x: MARGIN_X, y: below + 0.5, w: CONTENT_W, h: boxHeight(1, DATE), valign: 'top', ...textOptions(DATE, 'FFFFFF') });
  cover.addText(sections.length ? `Enablement lesson  ·  ${plural(sections.length, 'section')}` : 'Enablement lesson', {
    x: MARGIN_X,
    y: 6.55,
    w: CONTENT_W,
    h: boxHeight(1, NOTE),
    valign: 'top',
    ...textOptions(NOTE, 'FFFFFF'),
    transparency: 15,
  });
  cover.addNotes([title, organization, date].filter(Boolean).join('\n'));

  if (sections.length) {
    // Agenda: an entry a line, two columns past AGENDA_ROWS, more slides past two columns.
    const twoColumns = sections.length > AGENDA_ROWS;
    const perSlide = twoColumns ? AGENDA_ROWS * 2 : AGENDA_ROWS;
    for (let first = 0; first < sections.length; first += perSlide) {
      const slide = pptx.addSlide({ masterName: CONTENT_MASTER });
      addLabel(slide, 'Overview', accent);
      const body = addHeading(slide, first ? 'Agenda (continued)' : 'Agenda', 1, accent);
      const entries = sections.slice(first, first + perSlide);
      const columns = twoColumns ? [entries.slice(0, AGENDA_ROWS), entries.slice(AGENDA_ROWS)] : [entries];
      const columnW = twoColumns ? COLUMN_W : CONTENT_W;
      columns.forEach((column, c) => {
        if (!column.length) return;
        const x = MARGIN_X + c * (COLUMN_W + COLUMN_GAP);
        addNumbers(
          slide,
          { ...body, x },
          column.map((_, i) => ({ number: String(first + c * AGENDA_ROWS + i + 1).padStart(2, '0'), recap: false })),
          accent,
          POINT_GAP,
        );
        slide.addText(
          column.map((s) => {
            const heading = truncate(s.heading, BODY, textWidth(columnW - NUMBER_W), 1);
            return { text: heading, options: { breakLine: true, paraSpaceAfter: POINT_GAP, ...direction(heading) } };
          }),
          { x: x + NUMBER_W, y: body.y, w: columnW - NUMBER_W, h: body.h, valign: 'top', ...textOptions(BODY, TEXT) },
        );
      });
      slide.addNotes(entries.map((s, i) => `${first + i + 1}. ${s.heading}`).join('\n'));
    }

    // Sections: one heading height for all of a section's slides, so continuations line up.
    sections.forEach((section, index) => {
      const label = `Section ${index + 1} of ${sections.length}`;
      const headings = [headingText(section.heading), headingText(section.heading, '(continued)')];
      const lines = Math.max(...headings.map((h) => linesOf(h, HEADING, textWidth(CONTENT_W))));
      const box = underHeading(lines).body;
      const points = section.points.map((point) => breakLongWords(point, BODY, POINT_WIDTH));
      const statement = isStatement(points, capacityOf(box));
      const pages = statement ? [points.map((shown) => ({ shown, continued: false }))] : paginate(points, capacityOf(box));
      pages.forEach((pieces, p) => {
        const slide = pptx.addSlide({ masterName: CONTENT_MASTER });
        addLabel(slide, label, accent);
        if (!pieces.length) addDivider(slide, section.heading, accent);
        else {
          addHeading(slide, headings[p ? 1 : 0]!, lines, accent);
          const shown = pieces.map((piece) => piece.shown);
          if (statement) {
            addPoints(slide, shown, { ...box, w: STATEMENT_W }, STATEMENT, STATEMENT_GAP);
            addBigNumber(slide, index + 1, accent, box);
          } else addPoints(slide, shown, box, BODY, POINT_GAP);
        }
        // Each slide's notes hold the text of its own points, without the
        // ellipses, so a section's notes read in order are its whole text,
        // and a one-slide section's (most of them) are all of it.
        slide.addNotes(
          [p ? `${section.heading} (continued)` : section.heading, pieces.map(pieceText).join(' ')].filter(Boolean).join('\n\n'),
        );
      });
    });

    // Summary: each section's heading and first point, while they fit.
    const summary = pptx.addSlide({ masterName: CONTENT_MASTER });
    addLabel(summary, 'Summary', accent);
    const box = addHeading(summary, 'What we covered', 1, accent);
    const entryW = textWidth(CONTENT_W - NUMBER_W);
    const items: { heading: string; recap: string }[] = [];
    let used = 0;
    for (const [i, s] of sections.entries()) {
      const recap = s.points[0] ?? '';
      const cost = BODY.line + (recap ? RECAP.line : 0) + SUMMARY_GAP;
      const more = i < sections.length - 1 ? RECAP.line + SUMMARY_GAP : 0;
      if (used + cost + more > capacityOf(box)) break;
      used += cost;
      items.push({ heading: truncate(s.heading, { ...BODY, bold: true }, entryW, 1), recap: recap && truncate(recap, RECAP, entryW, 1) });
    }
    addNumbers(
      summary,
      box,
      items.map((item, i) => ({ number: String(i + 1).padStart(2, '0'), recap: Boolean(item.recap) })),
      accent,
      SUMMARY_GAP,
    );
    // One run a paragraph: pptxgenjs writes an <a:pPr> for every run, and a paragraph with two is invalid.
    const runs: TextRun[] = items.flatMap(({ heading, recap }) => [
      {
        text: heading,
        options: { bold: true, color: INK, breakLine: true, paraSpaceAfter: recap ? 0 : SUMMARY_GAP, ...direction(heading) },
      },
      ...(recap
        ? [
            {
              text: recap,
              options: {
                fontSize: RECAP.size,
                lineSpacing: RECAP.line,
                color: MUTED,
                breakLine: true,
                paraSpaceAfter: SUMMARY_GAP,
                ...direction(recap),
              },
            },
          ]
        : []),
    ]);
    const rest = sections.length - items.length;
    if (rest)
      runs.push({
        text: `…and ${plural(rest, 'more section')}: see the agenda.`,
        options: { fontSize: RECAP.size, lineSpacing: RECAP.line, italic: true, color: MUTED },
      });
    summary.addText(runs, {
      x: MARGIN_X + NUMBER_W,
      y: box.y,
      w: CONTENT_W - NUMBER_W,
      h: box.h,
      valign: 'top',
      ...textOptions(BODY, TEXT),
    });
    summary.addNotes(sections.map((s) => (s.points[0] ? `${s.heading}: ${s.points[0]}` : s.heading)).join('\n'));
  }

  // pptxgenjs's typings do not expose its slides; every slide came from addSlide().
  const slideCount = (pptx as unknown as { slides: unknown[] }).slides.length;
  // write() leaves every part stored whatever `compression` says; stream() honours it (pptxgenjs 4.0).
  const bytes = (await pptx.stream({ compression: true })) as Buffer;
  return { bytes, slideCount, costCents: exportCostCents(slideCount), model: RENDERER_MODEL };
}

// The same rule as the element's download suggestion.
export { deckFileName } from '../../components/internal/deck-file-name.js';
