/**
 * The stakeholder demo (demo/index.html) end to end, in Chromium, against the
 * reference server started as `npm start` starts it: sign in, build a workflow
 * with the keyboard only, export a lesson to its download, make an export
 * fail and retry it, switch organisation, audit with axe-core in light and
 * dark, and save screenshots to test-results/.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ROOT, ensureBundle, focusPath, pickByTyping, startServer, tabTo, type RunningServer } from './support.js';

const { chromiumPath, CHROMIUM_ARGS } = (await import(join(ROOT, 'scripts/chromium-path.mjs'))) as {
  chromiumPath(): string;
  CHROMIUM_ARGS: string[];
};

const RESULTS = join(ROOT, 'test-results');
const AXE = join(ROOT, 'node_modules/axe-core/axe.min.js');

interface Definition {
  name: string;
  organizationId: string | null;
  trigger: { type: string } | null;
  target: { specializationId: string | null };
  assignTraining: { tags: string[]; trainingIds: string[] };
}

interface LogEntry {
  event: string;
  source: string;
  payload: unknown;
}

const definition = async (page: Page): Promise<Definition> => JSON.parse(await page.locator('[data-json]').innerText());

/** The event log, oldest first. */
const eventLog = (page: Page): Promise<LogEntry[]> =>
  page.$$eval('[data-log] .log__entry', (entries) =>
    entries
      .map((entry) => ({
        event: entry.querySelector('.log__event')!.textContent!,
        source: entry.querySelector('.log__source')!.textContent!,
        payload: JSON.parse(entry.querySelector('.log__payload')?.textContent ?? 'null'),
      }))
      .reverse(),
  );

const exportState = (page: Page) => page.locator('#progress').getAttribute('state');

/** Layout shifts not caused by input, summed since the page loaded (Chromium's CLS). */
const layoutShift = (page: Page): Promise<number> => page.evaluate(() => (window as unknown as { __cls: number }).__cls);

async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated rather than added as a <script>: the demo's Content-Security-Policy
  // (rightly) refuses inline scripts, and the test must not loosen it.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(readFileSync(AXE, 'utf8'));
  const results = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(context: Document): Promise<{ violations: { id: string; help: string; nodes: { target: unknown[] }[] }[] }> };
      }
    ).axe;
    return (await axe.run(document)).violations.map(
      (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')})`,
    );
  });
  return results;
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(RESULTS, `${name}.png`), fullPage: true, animations: 'disabled', caret: 'hide' });
}

/** Sets the theme with the keyboard: Shift+Tab back to the theme radio group, an arrow to the other mode. */
async function chooseTheme(page: Page, mode: 'light' | 'dark'): Promise<void> {
  if ((await page.evaluate(() => document.documentElement.dataset.theme)) === mode) return;
  await tabTo(page, (f) => f.name === 'theme-mode', { backwards: true, max: 100 });
  await page.keyboard.press(mode === 'dark' ? 'ArrowRight' : 'ArrowLeft');
  await page.waitForFunction((mode) => document.documentElement.dataset.theme === mode, mode);
}

describe('the stakeholder demo', { timeout: 120_000 }, () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    mkdirSync(RESULTS, { recursive: true });
    ensureBundle();
    server = await startServer();
    browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light', reducedMotion: 'reduce' });
    await context.addInitScript(() => {
      const w = window as unknown as { __cls: number };
      w.__cls = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
          if (!entry.hadRecentInput) w.__cls += entry.value;
        }
      }).observe({ type: 'layout-shift', buffered: true });
      const v = window as unknown as { __cspViolations: string[] };
      v.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => v.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the sign-in with the demo accounts, and signs in from the keyboard', async () => {
    await page.goto(server.url);
    await page.locator('#sign-in').waitFor();
    assert.equal(await page.locator('#email').inputValue(), 'ada@acme.example');
    assert.equal(await page.locator('#password').inputValue(), 'partneros-demo');
    await screenshot(page, 'demo-sign-in-desktop-light');
    assert.deepEqual(await axeViolations(page), [], 'the sign-in page passes axe');

    await page.keyboard.press('Tab');
    assert.equal((await focusPath(page)).text, 'Skip to content', 'the first Tab reaches the skip link');
    await tabTo(page, (f) => f.text.includes('Sam Rivera'));
    await page.keyboard.press('Enter');
    await page.locator('#trigger').waitFor();
    await assertSignedIn(page, 'Sam Rivera', 'Acme Cloud');
  });

  it('builds a workflow with the keyboard only, shown live as JSON and in the event log', async () => {
    // Wait for the lists (the summary and the log show the records' titles).
    await page.waitForFunction(() =>
      ['#specialization', '#tags', '#trainings'].every(
        (id) => (document.querySelector(id) as unknown as { loadState: string }).loadState === 'complete',
      ),
    );
    assert.ok((await layoutShift(page)) < 0.02, `no layout shift as data arrives (CLS ${await layoutShift(page)})`);

    // Signing in moved focus to the main content: Tab on into the builder.
    await tabTo(page, (f) => f.inner === '#workflow-name');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('Welcome cloud partners');

    await tabTo(page, (f) => f.outer === '#trigger');
    await pickByTyping(page, '#trigger', 'closed won');
    await tabTo(page, (f) => f.outer === '#specialization');
    await pickByTyping(page, '#specialization', 'cloud mig');
    await tabTo(page, (f) => f.outer === '#tags');
    await pickByTyping(page, '#tags', 'techn');
    await page.keyboard.press('Escape');
    await tabTo(page, (f) => f.outer === '#trainings');
    await pickByTyping(page, '#trainings', 'lift');
    await pickByTyping(page, '#trainings', 'fundamentals');
    await page.screenshot({ path: join(RESULTS, 'demo-picker-open-desktop-light.png') });
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');

    const records = await page.evaluate(() => ({
      specialization: (document.querySelector('#specialization') as unknown as { records: { id: string; title: string }[] }).records,
      trainings: (document.querySelector('#trainings') as unknown as { records: { id: string; title: string }[] }).records,
    }));
    const idOf = (list: { id: string; title: string }[], title: string) => list.find((r) => r.title === title)!.id;
    const cloudMigration = idOf(records.specialization, 'Cloud Migration');
    const lift = idOf(records.trainings, 'Lift-and-Shift Playbook');
    const fundamentals = idOf(records.trainings, 'Acme Cloud Fundamentals');

    const def = await definition(page);
    assert.equal(def.name, 'Welcome cloud partners');
    assert.deepEqual(def.trigger, { type: 'deal_closed_won' });
    assert.deepEqual(def.target, { specializationId: cloudMigration });
    assert.deepEqual(def.assignTraining, { tags: ['technical'], trainingIds: [lift, fundamentals] });
    assert.match(await page.locator('[data-summary]').innerText(), /When deal closed won, partners in Cloud Migration get 2 trainings/);
    assert.equal(await page.locator('[data-readiness]').innerText(), 'Ready to publish');

    const changes = (await eventLog(page)).filter((e) => e.event === 'change');
    assert.deepEqual(
      changes.map((e) => [e.source, e.payload]),
      [
        ['<pos-trigger-select>', { value: 'deal_closed_won', labels: ['Deal closed won'] }],
        ['<pos-specialization-picker>', { value: cloudMigration, labels: ['Cloud Migration'] }],
        ['<pos-tag-picker>', { value: ['technical'], labels: ['technical'] }],
        ['<pos-training-picker>', { value: [lift], labels: ['Lift-and-Shift Playbook'] }],
        ['<pos-training-picker>', { value: [lift, fundamentals], labels: ['Lift-and-Shift Playbook', 'Acme Cloud Fundamentals'] }],
      ],
    );
  });

  it('exports a lesson to a real .pptx download, from the keyboard', async () => {
    await page.locator('#lesson:not([disabled])').waitFor();
    await tabTo(page, (f) => f.inner === '#dispatch');
    await page.keyboard.press('Enter');
    await page.locator('#progress[state="completed"]').waitFor({ timeout: 20_000 });

    const download = page.locator('#progress').locator('[part="download"]');
    assert.match(await download.innerText(), /^Download .+\.pptx$/);
    const href = (await download.getAttribute('href'))!;
    const file = await page.evaluate(async (href) => {
      const response = await fetch(href, { credentials: 'include' });
      const bytes = new Uint8Array(await response.arrayBuffer());
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        magic: String.fromCharCode(bytes[0]!, bytes[1]!),
        size: bytes.length,
      };
    }, href);
    assert.equal(file.status, 200);
    assert.equal(file.type, 'application/vnd.openxmlformats-officedocument.presentationml.presentation');
    assert.equal(file.magic, 'PK', 'a .pptx is a zip');
    assert.ok(file.size > 10_000, `a real deck (${file.size} bytes)`);

    const completed = (await eventLog(page)).filter((e) => e.event === 'pos-export-completed');
    assert.equal(completed.length, 1);
    assert.equal((completed[0]!.payload as { url: string }).url, href);

    // Tab reaches the download link inside the element.
    await tabTo(page, (f) => f.outer === '#progress' && f.inner === 'a');
  });

  it('makes the next export fail, shows the reason and Retry, and Retry exports again', async () => {
    await tabTo(page, (f) => f.text === 'Make the next export fail');
    await page.keyboard.press('Enter');
    await page.locator('[data-armed]', { hasText: 'the next export will fail' }).waitFor();
    await tabTo(page, (f) => f.inner === '#dispatch', { backwards: true });
    await page.keyboard.press('Enter');
    await page.locator('#progress[state="error"]').waitFor({ timeout: 20_000 });

    const progress = page.locator('#progress');
    assert.match(await progress.locator('[part="message"]').innerText(), /the demo asked this export to fail/);
    const errors = (await eventLog(page)).filter((e) => e.event === 'pos-export-error');
    assert.equal(errors.length, 1);
    assert.match((errors[0]!.payload as { message: string }).message, /The export failed/);
    assert.equal(await page.locator('[data-armed]').innerText(), '', 'the armed failure was used up');
    await screenshot(page, 'demo-export-error-desktop-light');

    await tabTo(page, (f) => f.outer === '#progress' && f.text === 'Retry');
    await page.keyboard.press('Enter');
    await page.locator('#progress[state="completed"]').waitFor({ timeout: 20_000 });
  });

  it('exhausts the allowance: the next export shows the 402 state without Retry; a reset exports again', async () => {
    await tabTo(page, (f) => f.text === 'Exhaust the allowance (402)');
    await page.keyboard.press('Enter');
    await page.locator('[data-armed]', { hasText: 'Allowance spent' }).waitFor();
    await tabTo(page, (f) => f.inner === '#dispatch', { backwards: true });
    await page.keyboard.press('Enter');
    await page.locator('#progress[state="error"]').waitFor({ timeout: 20_000 });
    const progress = page.locator('#progress');
    assert.match(await progress.locator('[part="message"]').innerText(), /allowance/i);
    assert.equal(await progress.locator('[part~="retry"]').count(), 0, 'asking again cannot help: no Retry');
    const errors = (await eventLog(page)).filter((e) => e.event === 'pos-export-error');
    assert.deepEqual(
      { status: (errors.at(-1)!.payload as { status?: number }).status, code: (errors.at(-1)!.payload as { code?: string }).code },
      { status: 402, code: 'quota_exceeded' },
    );
    assert.deepEqual(await axeViolations(page), [], 'the 402 state passes axe');
    await screenshot(page, 'demo-export-quota-desktop-light');

    await tabTo(page, (f) => f.text === 'Reset the allowance');
    await page.keyboard.press('Enter');
    await page.locator('[data-armed]', { hasText: 'Allowance reset' }).waitFor();
    await tabTo(page, (f) => f.inner === '#dispatch', { backwards: true });
    await page.keyboard.press('Enter');
    await page.locator('#progress[state="completed"]').waitFor({ timeout: 20_000 });
  });

  it('passes axe-core with no violations, in light and in dark', async () => {
    assert.deepEqual(await axeViolations(page), [], 'light');
    await screenshot(page, 'demo-desktop-light');
    await chooseTheme(page, 'dark');
    assert.deepEqual(await axeViolations(page), [], 'dark');
    await screenshot(page, 'demo-desktop-dark');

    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'demo-phone-dark');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `nothing wider than a phone (${overflow}px too wide)`);
    assert.deepEqual(await axeViolations(page), [], 'dark, phone width');
    await chooseTheme(page, 'light');
    await screenshot(page, 'demo-phone-light');
    assert.deepEqual(await axeViolations(page), [], 'light, phone width');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('switches the widgets to German and to Arabic (right to left) with the language switch, and back', async () => {
    const placeholder = () => page.locator('#trigger').evaluate((el) => el.shadowRoot!.querySelector('input')!.placeholder);
    assert.equal(await placeholder(), 'Choose a trigger…');
    await page.locator('#widget-language').selectOption('de');
    await page.waitForFunction(
      () => document.querySelector('#trigger')!.shadowRoot!.querySelector('input')!.placeholder === 'Auslöser wählen…',
    );
    assert.deepEqual(await page.locator('#workspace').evaluate((el) => [el.getAttribute('lang'), el.getAttribute('dir')]), ['de', 'ltr']);
    await screenshot(page, 'demo-desktop-german');

    await page.locator('#widget-language').selectOption('ar');
    await page.waitForFunction(() => document.querySelector('#trigger')!.shadowRoot!.querySelector('input')!.placeholder === 'اختر مشغّلًا…');
    assert.deepEqual(await page.locator('#workspace').evaluate((el) => [el.getAttribute('lang'), el.getAttribute('dir')]), ['ar', 'rtl']);
    await screenshot(page, 'demo-desktop-arabic');

    await page.locator('#widget-language').selectOption('en');
    await page.waitForFunction(
      () => document.querySelector('#trigger')!.shadowRoot!.querySelector('input')!.placeholder === 'Choose a trigger…',
    );
    assert.deepEqual(await page.locator('#workspace').evaluate((el) => [el.getAttribute('lang'), el.getAttribute('dir')]), ['en', 'ltr']);
  });

  it('switches organisation (Sam belongs to two) and the lists show the other organisation’s records', async () => {
    const before = await page.evaluate(() =>
      (document.querySelector('#specialization') as unknown as { records: { title: string }[] }).records.map((r) => r.title),
    );
    assert.ok(before.includes('Cloud Migration'));

    await tabTo(page, (f) => f.inner === '#org-select', { backwards: true });
    await page.keyboard.press('ArrowDown');
    await page.locator('[data-org-eyebrow]', { hasText: 'Globex Systems' }).waitFor();
    await page.waitForFunction(() => {
      const titles =
        (document.querySelector('#specialization') as unknown as { records?: { title: string }[] }).records?.map((r) => r.title) ?? [];
      return titles.includes('Retail Integrations') && !titles.includes('Cloud Migration');
    });
    await page.locator('#lesson option', { hasText: 'Globex Retail Playbook' }).waitFor({ state: 'attached' });
    assert.equal(await exportState(page), 'idle', 'the previous organisation’s export is cleared');

    // The other organisation's choices are gone from the definition; the trigger stays.
    const def = await definition(page);
    assert.deepEqual(def.trigger, { type: 'deal_closed_won' });
    assert.deepEqual(def.target, { specializationId: null });
    assert.deepEqual(def.assignTraining, { tags: [], trainingIds: [] });
    const log = await eventLog(page);
    assert.equal(log.at(-1)!.event, 'organization switched');

    // Open the specialization picker from the keyboard: Globex's records are offered.
    await tabTo(page, (f) => f.outer === '#specialization');
    await page.keyboard.press('ArrowDown');
    const options = page.locator('#specialization').locator('[role="option"]');
    await options.first().waitFor();
    assert.deepEqual(await options.allInnerTexts().then((texts) => texts.map((t) => t.split('\n')[0]!.trim())), [
      'Customer Success',
      'Field Service',
      'Implementation Partner',
      'Retail Integrations',
    ]);
    await page.keyboard.press('Escape');
    assert.deepEqual(await axeViolations(page), [], 'after the switch');
  });

  it('configures a trigger parameter from the keyboard: Partner Inactive for 45 days, shown in the JSON', async () => {
    await tabTo(page, (f) => f.outer === '#trigger', { backwards: true, max: 150 });
    await pickByTyping(page, '#trigger', 'inactive');
    await page.keyboard.press('Escape');
    await tabTo(page, (f) => f.outer === '#trigger' && f.inner === '#days');
    assert.deepEqual((await definition(page)).trigger, { type: 'partner_inactive', days: 30 }, 'the documented default');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('45');
    await page.waitForFunction(
      () => (JSON.parse(document.querySelector('[data-json]')!.textContent!) as { trigger: { days?: number } }).trigger.days === 45,
    );
    assert.deepEqual((await definition(page)).trigger, { type: 'partner_inactive', days: 45 });
    assert.deepEqual(await axeViolations(page), [], 'the parameter field passes axe');
  });

  it('signs out back to the sign-in, with no errors on the page', async () => {
    await tabTo(page, (f) => f.text === 'Sign out', { backwards: true });
    await page.keyboard.press('Enter');
    await page.locator('#sign-in').waitFor();
    assert.equal(await page.locator('#workspace').innerHTML(), '');
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(
      await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations),
      [],
      'the page lives within its CSP',
    );
  });

  it('signs in as Pat (partner role): every list says it has no access, with no Retry, and passes axe', async () => {
    await tabTo(page, (f) => f.text.includes('Pat Morgan'));
    await page.keyboard.press('Enter');
    await page.locator('.who__name', { hasText: 'Pat Morgan' }).waitFor();
    assert.equal(await page.locator('[data-org-eyebrow]').textContent(), 'Acme Cloud');
    for (const id of ['#specialization', '#tags', '#trainings']) {
      const error = page.locator(`${id} [part~="error"]`);
      await error.waitFor();
      assert.match(await error.innerText(), /do not have access/, id);
      assert.equal(await page.locator(`${id} [part~="retry"]`).count(), 0, `${id}: no Retry`);
    }
    assert.match(await page.locator('#lesson').innerText(), /No access to lessons/);
    assert.deepEqual(await axeViolations(page), [], 'the 403 states pass axe');
    await screenshot(page, 'demo-partner-role-desktop-light');
    assert.deepEqual(pageErrors, []);
  });
});

async function assertSignedIn(page: Page, name: string, organization: string): Promise<void> {
  await page.locator('.who__name', { hasText: name }).waitFor();
  assert.equal(await page.locator('[data-org-eyebrow]').textContent(), organization);
  assert.equal(await page.locator('#org-select option:checked').innerText(), organization);
}
