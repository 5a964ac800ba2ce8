import pptxgen from 'pptxgenjs';

// pptxgenjs's types describe its CommonJS build, but Node loads its ES build, whose
// default export is the class itself.
const PptxGenJS = pptxgen as unknown as typeof pptxgen.default;

export interface LessonContent {
  title: string;
  sections: { heading: string; body: string }[];
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
 * (the title slide included). A real deployment bills its model's tokens; this
 * formula only keeps `costCents` realistic and testable.
 */
export function exportCostCents(slideCount: number): number {
  return 2 + slideCount;
}

const ACCENT = '4F46E5';

/** Builds a real .pptx: a title slide, then one slide per section. */
export async function renderLessonDeck(lesson: LessonContent): Promise<RenderedDeck> {
  const pptx = new PptxGenJS();
  pptx.layout = 'LAYOUT_WIDE';
  pptx.title = lesson.title;
  pptx.company = 'PartnerOS';

  const cover = pptx.addSlide();
  cover.background = { color: ACCENT };
  cover.addText(lesson.title, { x: 0.6, y: 2.4, w: 12.1, h: 1.6, fontSize: 40, bold: true, color: 'FFFFFF', fit: 'shrink' });
  cover.addText(`${lesson.sections.length} sections`, { x: 0.6, y: 4.1, w: 12.1, h: 0.6, fontSize: 18, color: 'E0E7FF' });

  for (const section of lesson.sections) {
    const slide = pptx.addSlide();
    slide.addShape('rect', { x: 0, y: 0, w: 13.33, h: 0.12, fill: { color: ACCENT }, line: { color: ACCENT } });
    slide.addText(section.heading, { x: 0.6, y: 0.4, w: 12.1, h: 1, fontSize: 30, bold: true, color: '1F2937', fit: 'shrink' });
    slide.addText(section.body, { x: 0.6, y: 1.6, w: 12.1, h: 5.2, fontSize: 18, color: '374151', valign: 'top', fit: 'shrink' });
  }

  const bytes = (await pptx.write({ outputType: 'nodebuffer' })) as Buffer;
  const slideCount = lesson.sections.length + 1;
  return { bytes, slideCount, costCents: exportCostCents(slideCount), model: RENDERER_MODEL };
}

// The same rule as the element's download suggestion.
export { deckFileName } from '../../components/internal/deck-file-name.js';
