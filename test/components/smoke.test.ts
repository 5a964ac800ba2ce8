import { expect, fixture, html } from '@open-wc/testing';
import { LitElement, html as litHtml } from 'lit';
import { apiGet, signIn } from '../support/api.js';

class PosSmoke extends LitElement {
  static override properties = { count: { type: Number } };
  count = 0;
  override render() {
    return litHtml`<button @click=${() => this.count++}>clicked ${this.count}</button>`;
  }
}
customElements.define('pos-smoke', PosSmoke);

describe('test runner', () => {
  it('renders a Lit element in Chromium and updates it on a click', async () => {
    const el = await fixture<PosSmoke>(html`<pos-smoke></pos-smoke>`);
    const button = el.shadowRoot!.querySelector('button')!;
    expect(button.textContent).to.equal('clicked 0');
    button.click();
    await el.updateComplete;
    expect(button.textContent).to.equal('clicked 1');
  });

  it('reaches the reference server across origins with the session cookie', async () => {
    await signIn();
    const body = await apiGet<{ tags: string[] }>('/workflow-pickers/training-tags');
    expect(body.tags).to.include('onboarding');
  });
});
