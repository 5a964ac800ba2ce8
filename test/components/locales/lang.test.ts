import { expect } from '@open-wc/testing';
import '../../../components/training-picker/training-picker.js';
import '../../../components/tag-picker/tag-picker.js';
import type { PosTrainingPicker } from '../../../components/training-picker/training-picker.js';
import type { PosTagPicker } from '../../../components/tag-picker/tag-picker.js';
import { nearestLang } from '../../../components/internal/locale.js';
import { registerLocale } from '../../../components/internal/locale-registry.js';
import de from '../../../components/locales/de.js';
import fr from '../../../components/locales/fr.js';
import { inShadowRoot, settled } from './helpers.js';

const placeholder = (el: HTMLElement) => el.shadowRoot!.querySelector('input')!.placeholder;

describe('locales: the nearest lang', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    cleanups.splice(0).forEach((f) => f());
    document.documentElement.lang = 'en';
  });

  it('resolves through shadow roots: element → ancestors → shadow host → document element', () => {
    const { host, el, remove } = inShadowRoot<PosTagPicker>('pos-tag-picker', 'de-CH', { data: [] });
    cleanups.push(remove);
    expect(nearestLang(el)).to.equal('de-CH');
    host.removeAttribute('lang');
    expect(nearestLang(el)).to.equal('en');
    el.setAttribute('lang', 'ja');
    expect(nearestLang(el)).to.equal('ja');
  });

  it('renders the pack of a shadow host’s lang and follows runtime changes of it', async () => {
    const { host, el, remove } = inShadowRoot<PosTrainingPicker>('pos-training-picker', 'de', { data: [] });
    cleanups.push(remove);
    await settled(el);
    expect(placeholder(el)).to.equal(de['pos-training-picker'].placeholder);

    host.lang = 'fr';
    await settled(el);
    expect(placeholder(el)).to.equal(fr['pos-training-picker'].placeholder);

    // No lang on the host any more: the document element's (English, built in).
    host.removeAttribute('lang');
    await settled(el);
    expect(placeholder(el)).to.equal('Search trainings…');

    document.documentElement.lang = 'de';
    await settled(el);
    expect(placeholder(el)).to.equal(de['pos-training-picker'].placeholder);
  });

  it('follows a lang that appears on an ancestor inside the shadow root', async () => {
    const { el, remove } = inShadowRoot<PosTagPicker>('pos-tag-picker', undefined, { data: [] });
    cleanups.push(remove);
    await settled(el);
    expect(placeholder(el)).to.equal('Search tags…');
    el.parentElement!.lang = 'fr';
    await settled(el);
    expect(placeholder(el)).to.equal(fr['pos-tag-picker'].placeholder);
  });

  it('falls back from a region to its language (de-CH → de) and to English for a language without a pack', async () => {
    const { host, el, remove } = inShadowRoot<PosTagPicker>('pos-tag-picker', 'de-CH', { data: [] });
    cleanups.push(remove);
    await settled(el);
    expect(placeholder(el)).to.equal(de['pos-tag-picker'].placeholder);
    host.lang = 'pt-BR';
    await settled(el);
    expect(placeholder(el)).to.equal('Search tags…');
    // Not a valid language tag: English texts, and nothing thrown.
    host.lang = 'not a tag!';
    await settled(el);
    expect(placeholder(el)).to.equal('Search tags…');
  });

  it('takes the element’s `strings` over the pack, the pack over English, the element’s pack over the shared picker texts', async () => {
    const { el, remove } = inShadowRoot<PosTagPicker>('pos-tag-picker', 'de', { data: ['alpha'] });
    cleanups.push(remove);
    el.strings = { placeholder: 'Stichwort…' };
    await settled(el);
    expect(placeholder(el)).to.equal('Stichwort…');
    el.strings = {};
    await settled(el);
    expect(placeholder(el)).to.equal('Tags suchen…');
    // A text only the shared `picker` part of the pack has.
    el.shadowRoot!.querySelector('input')!.value = 'zzz';
    el.shadowRoot!.querySelector('input')!.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    await settled(el);
    expect(el.shadowRoot!.querySelector('[part~="empty"]')!.textContent!.trim()).to.equal('Keine Treffer für „zzz“.');
  });

  it('renders again when a pack for its language is registered after it rendered', async () => {
    const { el, remove } = inShadowRoot<PosTagPicker>('pos-tag-picker', 'x-test', { data: [] });
    cleanups.push(remove);
    await settled(el);
    expect(placeholder(el)).to.equal('Search tags…');
    registerLocale({ lang: 'x-test', 'pos-tag-picker': { placeholder: 'Test-Platzhalter' } });
    await settled(el);
    expect(placeholder(el)).to.equal('Test-Platzhalter');
  });
});
