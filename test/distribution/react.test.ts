/**
 * React 19 with the @lit/react wrappers of dist/react.js (bundled with React by
 * bundles.mjs): props reach the elements as properties, custom events reach
 * React callback props. Run `npm run build` first.
 */
import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import type { PosPicker } from '../../components/internal/picker.js';
import type { PosPptxExportProgress } from '../../components/pptx-export-progress/pptx-export-progress.component.js';
import type * as Wrappers from '../../components/react.js';
import { API, lessonId, misbehavingApi, signIn } from '../support/api.js';

type AnyPicker = PosPicker<any>;
interface ReactApp {
  React: typeof import('react');
  createRoot: typeof import('react-dom/client').createRoot;
  flushSync: typeof import('react-dom').flushSync;
  wrappers: typeof Wrappers;
}

describe('React 19 with @partneros/workflow-widgets/react', () => {
  let app: ReactApp;
  let container: HTMLElement;
  let root: ReturnType<ReactApp['createRoot']>;
  const render = (node: import('react').ReactNode) => app.flushSync(() => root.render(node));

  before(async () => {
    const url = '/test/distribution/react-app.bundle.js';
    app = (await import(/* @vite-ignore */ url)) as ReactApp;
    await signIn();
  });
  beforeEach(() => {
    container = document.createElement('div');
    document.body.append(container);
    root = app.createRoot(container);
  });
  afterEach(() => {
    root.unmount();
    container.remove();
  });

  it('renders the elements, registered by the wrapper module', () => {
    const { React, wrappers } = app;
    render(React.createElement(wrappers.PosTriggerSelect, { label: 'When' }));
    expect(container.querySelector('pos-trigger-select')).to.be.instanceOf(customElements.get('pos-trigger-select')!);
  });

  it('passes props as properties: arrays, base URL, booleans', async () => {
    const { React, wrappers } = app;
    render(
      React.createElement(wrappers.PosTrainingPicker, { baseUrl: API, multiple: true, tags: ['sales'], value: ['x'], label: 'Trainings' }),
    );
    const el = container.querySelector('pos-training-picker')!;
    expect(el.tags).to.deep.equal(['sales']);
    expect(el.value).to.deep.equal(['x']);
    expect(el.multiple).to.equal(true);
    expect(el.baseUrl).to.equal(API);
  });

  it('a controlled picker: onInput and onChange reach React, whose state flows back as the value', async () => {
    const { React, wrappers } = app;
    const calls: string[] = [];
    let latest: string[] = [];
    function Tags() {
      const [tags, setTags] = React.useState<string[]>([]);
      latest = tags;
      return React.createElement(wrappers.PosTagPicker, {
        baseUrl: API,
        multiple: true,
        value: tags,
        onInput: () => calls.push('input'),
        onChange: (event: Event) => {
          calls.push('change');
          setTags([...((event.currentTarget as AnyPicker).value as string[])]);
        },
      });
    }
    render(React.createElement(Tags));
    const el = container.querySelector('pos-tag-picker')!;
    await waitUntil(() => el.loadState === 'complete', 'the tags never loaded');
    el.shadowRoot!.querySelector<HTMLElement>('[part~="combobox"]')!.click();
    await waitUntil(() => el.shadowRoot!.querySelector('[role="option"]'), 'no options');
    const first = el.records![0] as string;
    el.shadowRoot!.querySelector<HTMLElement>('[role="option"]')!.click();
    await waitUntil(() => latest.length === 1, 'React never saw the change');
    expect(calls).to.deep.equal(['input', 'change']);
    expect(latest).to.deep.equal([first]);
    expect(el.value).to.deep.equal([first]);
  });

  it('onPosError receives the detail of a failed load', async () => {
    const { React, wrappers } = app;
    const errors: { code: string }[] = [];
    render(
      React.createElement(wrappers.PosSpecializationPicker, {
        baseUrl: misbehavingApi('html-500'),
        onPosError: (e) => errors.push(e.detail),
      }),
    );
    await waitUntil(() => errors.length === 1, 'onPosError was never called');
    expect(errors[0]!.code).to.equal('http_error');
  });

  it('onPosExportCompleted and onPosExportError receive the export events', async () => {
    const { React, wrappers } = app;
    const completed: { url: string }[] = [];
    const failed: { code?: string }[] = [];
    const props = {
      baseUrl: API,
      onPosExportCompleted: (e: CustomEvent<{ url: string }>) => completed.push(e.detail),
      onPosExportError: (e: CustomEvent<{ code?: string }>) => failed.push(e.detail),
    };
    render(
      React.createElement(wrappers.PosPptxExportProgress, {
        ...props,
        lessonId: await lessonId('Test lesson 12'),
        cacheKey: `react-${Date.now()}`,
      }),
    );
    const el = container.querySelector('pos-pptx-export-progress') as PosPptxExportProgress;
    const done = oneEvent(el, 'pos-export-completed');
    void el.dispatch();
    await done;
    expect(completed).to.have.length(1);
    expect(completed[0]!.url).to.match(/\.pptx$/);

    // A lesson that is not the organisation's: the dispatch answers 404.
    render(React.createElement(wrappers.PosPptxExportProgress, { ...props, lessonId: '00000000-0000-4000-8000-000000000000' }));
    const error = oneEvent(el, 'pos-export-error');
    void el.dispatch();
    await error;
    expect(failed).to.have.length(1);
    expect(failed[0]!.code).to.equal('not_found');
  });
});
