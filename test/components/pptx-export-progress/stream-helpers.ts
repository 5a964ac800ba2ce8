/** Helpers of the many-exports tests (HTTP/1.1 and HTTP/2). */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../../components/pptx-export-progress/pptx-export-progress.js';
import '../../../components/training-picker/training-picker.js';
import type { PosPptxExportProgress } from '../../../components/pptx-export-progress/pptx-export-progress.js';
import type { PosTrainingPicker } from '../../../components/training-picker/training-picker.js';
import { apiHealth } from '../../support/api.js';

export const WAIT = { timeout: 12_000, interval: 25 };
export const freshKey = (label: string) => `${label}-${crypto.randomUUID()}`;
export const part = (el: PosPptxExportProgress, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
export const inState = (els: PosPptxExportProgress[], state: string) => els.filter((el) => el.state === state);

export async function post(base: string, path: string, body: unknown) {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    credentials: 'include',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status, `POST ${path}`).to.be.oneOf([200, 202]);
  return response.json();
}

export async function untilOpenStreams(n: number) {
  let last = -1;
  await waitUntil(async () => (last = (await apiHealth()).openStreams) === n, `the server kept ${last} streams open, expected ${n}`, WAIT);
}

/** `count` export elements on one page, each following its own export of `lesson` (cache keys no other run used). */
export async function exportsOn(base: string, lesson: string, count: number) {
  const keys = Array.from({ length: count }, (_, i) => freshKey(`row${i}`));
  const wrapper = await fixture<HTMLDivElement>(html`
    <div>
      ${keys.map(
        (key) =>
          html`<pos-pptx-export-progress
            base-url=${base}
            lesson-id=${lesson}
            cache-key=${key}
            heartbeat-ms="300"
          ></pos-pptx-export-progress>`,
      )}
    </div>
  `);
  const els = [...wrapper.querySelectorAll('pos-pptx-export-progress')];
  await Promise.all(els.map((el) => el.updateComplete));
  return { els, keys };
}

export async function pickerLoads(base: string) {
  const picker = await fixture<PosTrainingPicker>(html`<pos-training-picker base-url=${base}></pos-training-picker>`);
  await waitUntil(() => picker.loadState === 'complete' || picker.loadState === 'error', 'the picker never finished loading', WAIT);
  expect(picker.loadState, 'the picker loads while the exports are open').to.equal('complete');
}
