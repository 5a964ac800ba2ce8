/**
 * Vue 3 (bundled with its template compiler by bundles.mjs, the elements from
 * dist/index.js): `v-model` on the elements, as the README documents it.
 * Run `npm run build` first.
 */
import { expect, waitUntil } from '@open-wc/testing';
import type { PosPicker } from '../../components/internal/picker.js';
import { API, signIn } from '../support/api.js';

type AnyPicker = PosPicker<any>;
interface VueApp {
  createApp: typeof import('vue').createApp;
  nextTick: typeof import('vue').nextTick;
  ref: typeof import('vue').ref;
}

describe('Vue 3 with v-model', () => {
  let vue: VueApp;
  let container: HTMLElement;
  let unmount: () => void;

  before(async () => {
    const url = '/test/distribution/vue-app.bundle.js';
    vue = (await import(/* @vite-ignore */ url)) as VueApp;
    await signIn();
  });
  beforeEach(() => {
    container = document.createElement('div');
    document.body.append(container);
  });
  afterEach(() => {
    unmount();
    container.remove();
  });

  /** Mounts `template` with `state` as its data; the `pos-` tags are custom elements, not Vue components. */
  function mount<S extends Record<string, unknown>>(template: string, state: S) {
    const refs = Object.fromEntries(Object.entries(state).map(([k, v]) => [k, vue.ref(v)]));
    const app = vue.createApp({ setup: () => ({ ...refs, api: API }), template });
    app.config.compilerOptions.isCustomElement = (tag) => tag.startsWith('pos-');
    app.mount(container);
    unmount = () => app.unmount();
    return refs as unknown as { [K in keyof S]: { value: S[K] } };
  }

  async function pickFirst(el: AnyPicker) {
    el.shadowRoot!.querySelector<HTMLElement>('[part~="combobox"]')!.click();
    await waitUntil(() => el.shadowRoot!.querySelector('[role="option"]'), 'no options');
    el.shadowRoot!.querySelector<HTMLElement>('[role="option"]')!.click();
  }

  it('v-model on a single picker: Vue state sets the value, a pick updates the state', async () => {
    const state = mount(`<pos-trigger-select v-model="trigger"></pos-trigger-select>`, { trigger: 'deal_closed_won' });
    const el = container.querySelector('pos-trigger-select')!;
    expect(el.value).to.equal('deal_closed_won');
    state.trigger.value = 'partner_inactive';
    await vue.nextTick();
    expect(el.value).to.equal('partner_inactive');
    await el.updateComplete;
    await pickFirst(el);
    await waitUntil(() => state.trigger.value === 'partner_created', `the Vue state is ${state.trigger.value}`);
  });

  it('v-model on a multiple picker loading from the API: an array both ways, properties bound with :prop', async () => {
    const state = mount(`<pos-tag-picker multiple :baseUrl="api" v-model="tags"></pos-tag-picker>`, { tags: ['onboarding'] });
    const el = container.querySelector('pos-tag-picker')!;
    expect(el.baseUrl).to.equal(API);
    expect(el.value).to.deep.equal(['onboarding']);
    await waitUntil(() => el.loadState === 'complete', 'the tags never loaded');
    // The first option not selected yet is picked.
    el.shadowRoot!.querySelector<HTMLElement>('[part~="combobox"]')!.click();
    await waitUntil(() => el.shadowRoot!.querySelector('[role="option"]'), 'no options');
    const option = [...el.shadowRoot!.querySelectorAll<HTMLElement>('[role="option"]')].find(
      (o) => o.getAttribute('aria-selected') !== 'true',
    )!;
    option.click();
    await waitUntil(() => state.tags.value.length === 2, 'the Vue state never changed');
    expect(state.tags.value[0]).to.equal('onboarding');
    expect(state.tags.value).to.deep.equal(el.value);
  });
});
