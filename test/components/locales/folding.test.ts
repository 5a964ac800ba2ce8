import { expect } from '@open-wc/testing';
import '../../../components/tag-picker/tag-picker.js';
import type { PosTagPicker } from '../../../components/tag-picker/tag-picker.js';
import { fold } from '../../../components/internal/text-match.js';
import { optionTitles } from '../pickers/helpers.js';
import { inShadowRoot, settled } from './helpers.js';

/** Types `text` into the picker's input as one input event (`sendKeys` cannot type every character). */
async function filter(el: PosTagPicker, text: string) {
  await el.updateComplete;
  const input = el.shadowRoot!.querySelector('input')!;
  input.focus();
  input.value = text;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  await settled(el);
}

describe('locales: the filter folds case and diacritics', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((f) => f()));

  it('folds by the locale: diacritics and case gone, Turkish dotted and dotless i kept apart', () => {
    expect(fold('Für Ärzte', 'de')).to.equal('fur arzte');
    expect(fold('ÉCOLE', 'fr')).to.equal('ecole');
    expect(fold('İzmir', 'en')).to.equal('izmir');
    expect(fold('İzmir', 'tr')).to.equal('izmir');
    expect(fold('ISPARTA', 'tr')).to.equal('ısparta');
    expect(fold('ISPARTA', 'en')).to.equal('isparta');
    expect(fold('한국어', 'ko')).to.equal('한국어');
  });

  it('finds “für” for “fur” and marks the matching text', async () => {
    const { el, remove } = inShadowRoot<PosTagPicker>('pos-tag-picker', 'de', { data: ['Schulung für Partner', 'Furnier', 'Andere'] });
    cleanups.push(remove);
    await filter(el, 'FUR');
    expect(optionTitles(el)).to.deep.equal(['Schulung für Partner', 'Furnier']);
    const marks = [...el.shadowRoot!.querySelectorAll('mark')].map((m) => m.textContent);
    expect(marks).to.deep.equal(['für', 'Fur']);
  });

  it('keeps Turkish i and ı apart under lang="tr", and matches both under English', async () => {
    const { host, el, remove } = inShadowRoot<PosTagPicker>('pos-tag-picker', 'tr', { data: ['İzmir', 'Isparta'] });
    cleanups.push(remove);
    await filter(el, 'i');
    expect(optionTitles(el)).to.deep.equal(['İzmir']);
    await filter(el, 'ı');
    expect(optionTitles(el)).to.deep.equal(['Isparta']);
    host.lang = 'en';
    await filter(el, 'i');
    expect(optionTitles(el)).to.deep.equal(['İzmir', 'Isparta']);
  });
});
