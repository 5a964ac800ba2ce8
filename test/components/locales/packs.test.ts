import { expect } from '@open-wc/testing';
import type { LocalePack } from '../../../components/internal/locale-pack.js';
import { DEFAULT_STRINGS } from '../../../components/internal/picker-strings.js';
import { TRIGGER_TYPES, TriggerGroup } from '../../../components/internal/trigger-types.js';
import { DEFAULT_STRINGS as EXPORT_STRINGS } from '../../../components/pptx-export-progress/pptx-export-progress.strings.js';
import { PosSpecializationPicker } from '../../../components/specialization-picker/specialization-picker.js';
import { PosTagPicker } from '../../../components/tag-picker/tag-picker.js';
import { PosTrainingPicker } from '../../../components/training-picker/training-picker.js';
import { PosTriggerSelect } from '../../../components/trigger-select/trigger-select.js';
import ar from '../../../components/locales/ar.js';
import de from '../../../components/locales/de.js';
import es from '../../../components/locales/es.js';
import fr from '../../../components/locales/fr.js';
import ja from '../../../components/locales/ja.js';

const PACKS: LocalePack[] = [de, fr, es, ja, ar];
/** An element's own English texts (`ownStrings`), read from an instance. */
const ownStrings = (Element: CustomElementConstructor) => (new Element() as unknown as { ownStrings: object }).ownStrings;
const PARAMETER_KEYS = ['days', 'daysBefore', 'fromStage', 'toStage', 'anyStage', 'daysInvalid'];

describe('locales: the packs', () => {
  for (const pack of PACKS) {
    describe(pack.lang, () => {
      it('has every picker text, shared and per element', () => {
        expect(Object.keys(pack.picker!).sort()).to.deep.equal(Object.keys(DEFAULT_STRINGS).sort());
        for (const [tag, Element] of [
          ['pos-specialization-picker', PosSpecializationPicker],
          ['pos-training-picker', PosTrainingPicker],
          ['pos-tag-picker', PosTagPicker],
        ] as const)
          expect(Object.keys(pack[tag]!).sort(), tag).to.deep.equal(Object.keys(ownStrings(Element)).sort());
      });

      it('has every trigger title, description and group, and the parameter fields’ texts', () => {
        const trigger = pack['pos-trigger-select']!;
        const types = TRIGGER_TYPES.map((t) => t.type).sort();
        expect(Object.keys(trigger.titles!).sort()).to.deep.equal(types);
        expect(Object.keys(trigger.descriptions!).sort()).to.deep.equal(types);
        expect(Object.keys(trigger.groups!).sort()).to.deep.equal(Object.keys(TriggerGroup).sort());
        for (const key of [...PARAMETER_KEYS, ...Object.keys(ownStrings(PosTriggerSelect))]) expect(trigger, key).to.have.property(key);
        // Translated, not copied: no English title or description left.
        for (const t of TRIGGER_TYPES) expect(trigger.descriptions![t.type]).not.to.equal(t.description);
      });

      it('has every text of the export element, the functions filled in', () => {
        const texts = pack['pos-pptx-export-progress']!;
        expect(Object.keys(texts).sort()).to.deep.equal(Object.keys(EXPORT_STRINGS).sort());
        expect(texts.reconnecting!(2, 5)).to.include('2').and.include('5');
        expect(texts.progressLabel!('Deck')).to.include('Deck');
        expect(texts.elapsed!(7, '0:07')).to.include('0:07');
        expect(texts.download!('a.pptx')).to.include('a.pptx');
        expect(texts.connectionLost!(5)).to.include('5');
        expect(texts.failedAnnouncement!('M', 'H')).to.include('M').and.include('H');
      });

      it('keeps the {placeholders} of the English texts', () => {
        expect(pack.picker!.noMatches).to.include('{query}');
        expect(pack.picker!.removeItem).to.include('{label}');
        expect(pack['pos-trigger-select']!.daysInvalid).to.include('{min}').and.include('{max}');
      });
    });
  }
});
