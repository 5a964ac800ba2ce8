// The stakeholder demo: signs in against the reference server, builds a
// workflow with the four pickers, exports a lesson with the progress element.
// Plain browser JavaScript, no build step: the kit comes from /dist.
import { refreshPickerData } from '/dist/pos-widgets.js';
// Locale packs: plain modules that register themselves with the kit (any order, see the README's Locales).
import '/dist/locales/de.js';
import '/dist/locales/ar.js';

const API = '/api';
const DEMO_PASSWORD = 'partneros-demo';
const THEME_KEY = 'pos-demo-theme';
const LANGUAGE_KEY = 'pos-demo-language';
const LOG_LIMIT = 60;

const $ = (selector, root = document) => root.querySelector(selector);
const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

/** The page's state, in one place. */
const state = {
  /** `GET /api/auth/session`: `{ user, activeOrganizationId, organizations }`, or null signed out. */
  session: null,
  lessons: [],
  /** `fail` | `hang` once a demo control was used, until the next dispatch consumes it. */
  armed: null,
  runs: 0,
  logCount: 0,
};

// ------------------------------------------------------------------ API

class ApiError extends Error {
  constructor(message, code, status) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

/** JSON in, JSON out, the session cookie included; failures as ApiError with the server's sentence. */
async function api(path, { method = 'GET', body } = {}) {
  let response;
  try {
    response = await fetch(API + path, {
      method,
      credentials: 'include',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError('Cannot reach the server. Is it still running?', 'network_error');
  }
  const data = await response.json().catch(() => undefined);
  if (!response.ok) {
    const retryAfter = response.headers.get('retry-after');
    const message = data?.error ?? `The server answered ${response.status}.`;
    throw new ApiError(retryAfter ? `${message} Try again in ${retryAfter} s.` : message, data?.code ?? 'http_error', response.status);
  }
  return data;
}

// ------------------------------------------------------------------ small helpers

function announce(text) {
  const region = $('#announcer');
  region.textContent = '';
  // A fresh text node in the next frame, so the same sentence twice is announced twice.
  requestAnimationFrame(() => (region.textContent = text));
}

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (value === true) node.setAttribute(key, '');
    else if (value !== false && value != null) node.setAttribute(key, String(value));
  }
  node.append(...children.flat().filter((c) => c != null && c !== false));
  return node;
}

const initials = (name) =>
  name
    .split(/\s+/)
    .map((part) => part[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase();

/** `deal_closed_won` → `Deal closed won`, for the summary and the log (the select itself shows PartnerOS's names). */
const triggerTitle = (type) => {
  const words = type.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

const formatMinutes = (minutes) => {
  if (!minutes) return '';
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h ? (m ? `${h} h ${m} min` : `${h} h`) : `${m} min`;
};

const listText = (items) => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard permission (an embedded or insecure page): the old way.
    const area = el('textarea', { class: 'visually-hidden', 'aria-hidden': 'true' });
    area.value = text;
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}

/** A copy button's feedback: the label says "Copied" for a moment, and it is announced. */
function flashCopied(button, ok) {
  const label = button.lastChild;
  const before = label.textContent;
  button.dataset.copied = '';
  label.textContent = ok ? ' Copied' : ' Copy failed';
  announce(ok ? 'Copied to the clipboard.' : 'Copying failed.');
  setTimeout(() => {
    label.textContent = before;
    delete button.dataset.copied;
  }, 1600);
}

// ------------------------------------------------------------------ theme

function applyTheme({ mode, accent }, save = true) {
  const root = document.documentElement;
  if (mode) root.dataset.theme = mode;
  if (accent) root.dataset.accent = accent;
  $$('input[name="theme-mode"]').forEach((input) => (input.checked = input.value === root.dataset.theme));
  $$('input[name="accent"]').forEach((input) => (input.checked = input.value === root.dataset.accent));
  $('#theme-card-dark')?.setAttribute('aria-pressed', String(root.dataset.theme === 'dark'));
  if (save) {
    try {
      localStorage.setItem(THEME_KEY, JSON.stringify({ mode: root.dataset.theme, accent: root.dataset.accent }));
    } catch {
      // Private mode: the choice lasts for this page only.
    }
  }
  renderThemeSnippet();
}

function setUpTheme() {
  applyTheme({}, false);
  $('#theme-mode').addEventListener('change', (event) => applyTheme({ mode: event.target.value }));
  $('#theme-accent').addEventListener('change', (event) => applyTheme({ accent: event.target.value }));
}

// ------------------------------------------------------------------ language

/**
 * The widgets' language: `lang` (and `dir` for Arabic) on the container the
 * elements live in, which they follow as they would a host page's. The page's
 * own text stays English.
 */
function applyLanguage(lang, save = true) {
  const container = $('#workspace');
  container.lang = lang;
  container.dir = lang === 'ar' ? 'rtl' : 'ltr';
  $('#widget-language').value = lang;
  if (save) {
    try {
      localStorage.setItem(LANGUAGE_KEY, lang);
    } catch {
      // Private mode: the choice lasts for this page only.
    }
  }
}

function setUpLanguage() {
  let saved = 'en';
  try {
    saved = localStorage.getItem(LANGUAGE_KEY) || 'en';
  } catch {
    // Private mode: English.
  }
  applyLanguage(['en', 'de', 'ar'].includes(saved) ? saved : 'en', false);
  $('#widget-language').addEventListener('change', (event) => applyLanguage(event.target.value));
}

// ------------------------------------------------------------------ session

async function boot() {
  setUpTheme();
  setUpLanguage();
  setUpSignIn();
  try {
    state.session = await api('/auth/session');
  } catch (error) {
    state.session = null;
    if (error.code !== 'unauthorized') $('#sign-in-error').textContent = error.message;
  }
  render();
}

function setUpSignIn() {
  const form = $('#sign-in-form');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void signIn(form.email.value.trim(), form.password.value, form.querySelector('button[type="submit"]'));
  });
  $$('.account-option').forEach((button) =>
    button.addEventListener('click', () => void signIn(button.dataset.email, DEMO_PASSWORD, button)),
  );
}

async function signIn(email, password, button) {
  const error = $('#sign-in-error');
  error.textContent = '';
  if (!email || !password) {
    error.textContent = 'Enter an email and a password.';
    return;
  }
  // Busy, not disabled: a disabled button would drop the keyboard focus.
  if (button.getAttribute('aria-busy') === 'true') return;
  button.setAttribute('aria-busy', 'true');
  try {
    await api('/auth/sign-in/email', { method: 'POST', body: { email, password } });
    state.session = await api('/auth/session');
    render();
    announce(`Signed in as ${state.session.user.name}, ${activeOrganization()?.name ?? ''}.`);
    $('#main').focus();
  } catch (e) {
    error.textContent = e.message;
  } finally {
    button.removeAttribute('aria-busy');
  }
}

async function signOut() {
  try {
    await api('/auth/sign-out', { method: 'POST' });
  } catch {
    // The session may already be gone; signed out either way.
  }
  state.session = null;
  render();
  announce('Signed out.');
  $('.account-option')?.focus();
}

const activeOrganization = () => state.session?.organizations.find((o) => o.id === state.session.activeOrganizationId);

async function switchOrganization(organizationId) {
  const select = $('#org-select');
  select.disabled = true;
  try {
    await api('/auth/organization/set-active', { method: 'POST', body: { organizationId } });
    state.session = { ...state.session, activeOrganizationId: organizationId };
    renderAccount();
    const name = activeOrganization()?.name ?? '';
    logEntry({ event: 'organization switched', source: 'page', kind: 'page', payload: { organizationId, name } });
    reloadWorkspaceData();
    announce(`Switched to ${name}. The lists now show its records.`);
  } catch (e) {
    announce(e.message);
    select.value = state.session.activeOrganizationId;
  } finally {
    $('#org-select')?.removeAttribute('disabled');
    $('#org-select')?.focus();
  }
}

// ------------------------------------------------------------------ rendering

function render() {
  const signedIn = !!state.session;
  document.body.dataset.auth = signedIn ? 'signed-in' : 'signed-out';
  $('#sign-in').hidden = signedIn;
  renderAccount();
  const workspace = $('#workspace');
  if (signedIn && !workspace.firstChild) mountWorkspace(workspace);
  if (!signedIn && workspace.firstChild) {
    workspace.replaceChildren();
    // The pickers share their responses for the page: forget them with the session.
    refreshPickerData();
  }
}

function renderAccount() {
  const slot = $('#account');
  if (!state.session) return slot.replaceChildren();
  const { user, organizations, activeOrganizationId } = state.session;
  const org = activeOrganization();
  const who = el(
    'div',
    { class: 'who' },
    el('span', { class: 'avatar', 'aria-hidden': 'true' }, initials(user.name)),
    el(
      'span',
      { class: 'who__text' },
      el('span', { class: 'who__name' }, user.name),
      el('span', { class: 'who__org', 'data-org-name': true }, organizations.length > 1 ? user.email : (org?.name ?? 'No organisation')),
    ),
  );
  let switcher = null;
  if (organizations.length > 1) {
    const select = el(
      'select',
      { id: 'org-select', onchange: (event) => void switchOrganization(event.target.value) },
      organizations.map((o) => el('option', { value: o.id, selected: o.id === activeOrganizationId }, o.name)),
    );
    switcher = el('div', { class: 'org-switch' }, el('label', { for: 'org-select' }, 'Organisation'), select);
  }
  const signOutButton = el('button', { type: 'button', class: 'button button--small', onclick: () => void signOut() }, 'Sign out');
  slot.replaceChildren(who, ...(switcher ? [switcher] : []), signOutButton);
  const eyebrow = $('[data-org-eyebrow]');
  if (eyebrow) eyebrow.textContent = org?.name ?? '';
}

// ------------------------------------------------------------------ the workspace

/** The workspace's elements, once mounted. */
let w = null;

function mountWorkspace(container) {
  container.append($('#workspace-template').content.cloneNode(true));
  w = {
    root: container,
    name: $('#workflow-name', container),
    trigger: $('#trigger', container),
    specialization: $('#specialization', container),
    tags: $('#tags', container),
    trainings: $('#trainings', container),
    json: $('[data-json]', container),
    summary: $('[data-summary]', container),
    readiness: $('[data-readiness]', container),
    log: $('[data-log]', container),
    logEmpty: $('[data-log-empty]', container),
    logCount: $('[data-log-count]', container),
    lesson: $('#lesson', container),
    reuse: $('#reuse-cache', container),
    dispatch: $('#dispatch', container),
    progress: $('#progress', container),
    stage: $('.export__stage', container),
    statePill: $('[data-state]', container),
    armed: $('[data-armed]', container),
  };
  state.logCount = 0;
  renderAccount();

  // Wire the builder: tags and the specialization narrow the trainings.
  w.tags.addEventListener('change', () => (w.trainings.tags = w.tags.value));
  w.specialization.addEventListener('change', () => (w.trainings.specializationId = w.specialization.value));
  for (const picker of pickers()) {
    picker.addEventListener('change', () => updateDefinition());
    // A record list arriving changes the labels the summary shows.
    picker.addEventListener('pos-error', () => updateDefinition());
  }
  w.name.addEventListener('input', () => updateDefinition());
  // A trigger's parameters (Partner Inactive's days, …) show in the JSON as they are typed.
  w.trigger.addEventListener('input', () => updateDefinition());

  // The log: every `change` and `pos-*` event the elements fire, with its payload.
  for (const type of ['change', 'pos-error', 'pos-export-completed', 'pos-export-error']) {
    container.addEventListener(type, (event) => {
      const source = event.target;
      if (!source.localName?.startsWith('pos-')) return;
      logEntry({
        event: type,
        source: `<${source.localName}>`,
        kind: type === 'pos-export-completed' ? 'success' : type.endsWith('error') ? 'error' : 'change',
        payload: type === 'change' ? changePayload(source) : event.detail,
      });
    });
  }
  $('[data-clear-log]', container).addEventListener('click', () => {
    w.log.replaceChildren();
    state.logCount = 0;
    w.logCount.textContent = '0';
    w.logEmpty.hidden = false;
  });
  $('[data-copy-json]', container).addEventListener('click', async (event) => {
    const button = event.currentTarget;
    flashCopied(button, await copyText(JSON.stringify(definition(), null, 2)));
  });

  setUpExport();
  renderSnippets();
  updateDefinition();
  void loadLessons();
  // Labels in the summary need the records: redraw once each list has arrived.
  void Promise.all(pickers().map((p) => p.updateComplete)).then(() => waitForRecords().then(updateDefinition));
}

const pickers = () => [w.trigger, w.specialization, w.tags, w.trainings];

/** Resolves when every picker has its records (or failed), polling on animation frames. */
function waitForRecords() {
  return new Promise((resolve) => {
    const check = () =>
      !w || pickers().every((p) => p.loadState === 'complete' || p.loadState === 'error') ? resolve() : requestAnimationFrame(check);
    check();
  });
}

/** What a picker's `change` event carries for the log: the value and the readable labels. */
function changePayload(picker) {
  const labels = picker.selectedItems.map((item) => (typeof item === 'string' ? item : (item.title ?? triggerTitle(item.type))));
  return { value: picker.value, labels };
}

function definition() {
  const org = activeOrganization();
  return {
    name: w.name.value.trim() || 'Untitled workflow',
    organizationId: org?.id ?? null,
    // The whole trigger: `{ type }` and its parameters (`{ type: 'partner_inactive', days: 45 }`).
    trigger: w.trigger.trigger,
    target: { specializationId: w.specialization.value || null },
    assignTraining: {
      tags: w.tags.value,
      trainingIds: w.trainings.value,
    },
  };
}

function updateDefinition() {
  if (!w) return;
  const def = definition();
  w.json.replaceChildren(highlightJson(def));

  const trigger = w.trigger.value;
  const specialization = w.specialization.selectedItems[0];
  const trainings = w.trainings.selectedItems;
  const minutes = trainings.reduce((sum, t) => sum + (t.durationMinutes ?? 0), 0);
  const steps = $$('.step', w.root);
  steps[0].toggleAttribute('data-done', !!trigger);
  steps[1].toggleAttribute('data-done', !!specialization);
  steps[2].toggleAttribute('data-done', trainings.length > 0);

  const ready = !!trigger && trainings.length > 0;
  w.readiness.toggleAttribute('data-ready', ready);
  w.readiness.textContent = ready ? 'Ready to publish' : 'Draft';

  const strong = (text) => el('strong', {}, text);
  const parts = [];
  if (!trigger) parts.push('Choose a trigger to start.');
  else {
    parts.push('When ', strong(triggerTitle(trigger).toLowerCase()), ', ');
    parts.push(specialization ? ['partners in ', strong(specialization.title)] : 'every partner');
    if (trainings.length) {
      parts.push(' get ', strong(`${trainings.length} training${trainings.length === 1 ? '' : 's'}`));
      if (minutes) parts.push(` (${formatMinutes(minutes)}): `, listText(trainings.map((t) => t.title)), '.');
      else parts.push('.');
    } else parts.push(' get… (pick the trainings to assign).');
  }
  w.summary.replaceChildren(...parts.flat());
}

/** The definition as syntax-coloured JSON (text nodes only: record text is never HTML). */
function highlightJson(value) {
  const fragment = document.createDocumentFragment();
  const text = JSON.stringify(value, null, 2);
  const token = /("(?:\\.|[^"\\])*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|([{}[\],])/g;
  let last = 0;
  for (const match of text.matchAll(token)) {
    if (match.index > last) fragment.append(text.slice(last, match.index));
    const [all, string, colon, literal, number] = match;
    if (string) {
      fragment.append(el('span', { class: colon ? 'j-key' : 'j-str' }, string));
      if (colon) fragment.append(el('span', { class: 'j-punct' }, colon));
    } else if (literal) fragment.append(el('span', { class: 'j-lit' }, literal));
    else if (number) fragment.append(el('span', { class: 'j-num' }, number));
    else fragment.append(el('span', { class: 'j-punct' }, all));
    last = match.index + all.length;
  }
  fragment.append(text.slice(last));
  return fragment;
}

function logEntry({ event, source, kind, payload }) {
  if (!w) return;
  const time = new Date().toLocaleTimeString('en-GB', { hour12: false });
  const entry = el(
    'li',
    { class: 'log__entry', dataset: { kind, event } },
    el('span', { class: 'log__time' }, time),
    el('span', { class: 'log__head' }, el('span', { class: 'log__event' }, event), el('span', { class: 'log__source' }, source)),
    payload === undefined ? null : el('pre', { class: 'log__payload' }, JSON.stringify(payload)),
  );
  w.log.prepend(entry);
  while (w.log.children.length > LOG_LIMIT) w.log.lastElementChild.remove();
  state.logCount++;
  w.logCount.textContent = String(state.logCount);
  w.logEmpty.hidden = true;
}

/** After an organisation switch: every list reloads, choices of the other organisation go. */
function reloadWorkspaceData() {
  if (!w) return;
  refreshPickerData();
  w.specialization.value = '';
  w.tags.value = [];
  w.trainings.value = [];
  w.trainings.tags = [];
  w.trainings.specializationId = '';
  for (const picker of pickers()) picker.refresh();
  updateDefinition();
  void Promise.all(pickers().map((p) => p.updateComplete)).then(() => waitForRecords().then(updateDefinition));
  w.progress.cancel();
  state.armed = null;
  renderArmed();
  void loadLessons();
}

// ------------------------------------------------------------------ export

const ACTIVE_STATES = new Set(['dispatching', 'connecting', 'waiting', 'reconnecting']);

function setUpExport() {
  w.lesson.addEventListener('change', () => selectLesson(w.lesson.value));
  w.dispatch.addEventListener('click', () => void dispatchExport());
  // The element reflects its state: follow it to show it and to guard the button.
  new MutationObserver(() => renderExportState()).observe(w.progress, { attributes: true, attributeFilter: ['state'] });
  renderExportState();
  for (const button of $$('[data-next]', w.root)) {
    button.addEventListener('click', () => void armNextExport(button.dataset.next));
  }
  for (const button of $$('[data-quota]', w.root)) {
    button.addEventListener('click', () => void setQuota(button.dataset.quota));
  }
  renderArmed();
}

async function loadLessons() {
  const select = w.lesson;
  select.disabled = true;
  renderExportState();
  select.replaceChildren(el('option', {}, 'Loading lessons…'));
  try {
    const { lessons } = await api('/enablement/lessons');
    if (!w || w.lesson !== select) return;
    state.lessons = lessons;
    if (!lessons.length) {
      select.replaceChildren(el('option', {}, 'No lessons in this organisation'));
      return;
    }
    select.replaceChildren(...lessons.map((l) => el('option', { value: l.id }, l.title)));
    select.disabled = false;
    selectLesson(lessons[0].id);
  } catch (e) {
    select.replaceChildren(el('option', {}, e.status === 403 ? 'No access to lessons (partner role)' : 'Lessons could not be loaded'));
    logEntry({ event: 'lessons failed', source: 'page', kind: 'error', payload: { code: e.code, message: e.message } });
  }
  renderExportState();
}

function selectLesson(id) {
  const lesson = state.lessons.find((l) => l.id === id);
  if (!lesson) return;
  w.lesson.value = id;
  // Changing the lesson sends a finished element back to idle (documented).
  w.progress.lessonId = lesson.id;
  w.progress.lessonTitle = lesson.title;
}

async function dispatchExport() {
  const progress = w.progress;
  if (w.dispatch.getAttribute('aria-disabled') === 'true' || !progress.lessonId) return;
  // A fresh cache key asks the server for a new deck; none reuses the lesson's fresh deck if there is one.
  // An armed failure always needs a real run (a cache hit would not reach the export queue).
  const reuse = w.reuse.checked && !state.armed;
  progress.cacheKey = reuse ? '' : `demo-run-${Date.now().toString(36)}-${++state.runs}`;
  // Let the element apply the key before dispatching (a key change mid-dispatch restarts the dispatch).
  await progress.updateComplete;
  const dispatched = progress.dispatch();
  if (state.armed) {
    state.armed = null;
    renderArmed();
  }
  await dispatched;
}

async function armNextExport(behaviour) {
  try {
    await api('/demo/next-export', { method: 'POST', body: { behaviour } });
    state.armed = behaviour;
    renderArmed();
    logEntry({ event: 'demo control', source: 'page', kind: 'page', payload: { nextExport: behaviour } });
  } catch (e) {
    w.armed.textContent = e.code === 'not_found' ? 'Demo controls are off: start the server with --demo-controls.' : e.message;
  }
}

async function setQuota(action) {
  try {
    const { quota } = await api(`/demo/${action}-quota`, { method: 'POST', body: {} });
    w.armed.textContent =
      action === 'exhaust'
        ? `Allowance spent (${quota.spentCents} of ${quota.allowanceCents} cents in ${quota.month}): the next export that is not a cache hit answers 402.`
        : `Allowance reset: ${quota.allowanceCents} cents for ${quota.month}.`;
    logEntry({ event: 'demo control', source: 'page', kind: 'page', payload: { quota } });
  } catch (e) {
    w.armed.textContent = e.code === 'not_found' ? 'Demo controls are off: start the server with --demo-controls.' : e.message;
  }
}

function renderArmed() {
  if (!w) return;
  w.armed.textContent =
    state.armed === 'fail'
      ? 'Armed: the next export will fail.'
      : state.armed === 'hang'
        ? 'Armed: the next export will never finish; its stream times out after 20 s.'
        : '';
}

function renderExportState() {
  if (!w) return;
  const current = w.progress.getAttribute('state') ?? 'idle';
  w.stage.dataset.state = current;
  w.statePill.textContent = current;
  // aria-disabled rather than disabled: the button keeps the keyboard focus while the export runs.
  const unavailable = !w.progress.lessonId || ACTIVE_STATES.has(current) || w.lesson.disabled;
  w.dispatch.setAttribute('aria-disabled', String(unavailable));
}

// ------------------------------------------------------------------ embed snippets

const SNIPPETS = [
  {
    tag: 'pos-trigger-select',
    text: 'The 18 workflow triggers, grouped and searchable. Ships its list: no request.',
    code: `<pos-trigger-select
  name="trigger"
  label="When"
  required
></pos-trigger-select>`,
  },
  {
    tag: 'pos-specialization-picker',
    text: 'The organisation’s published specializations, from the API.',
    code: `<pos-specialization-picker
  name="specialization"
  label="Target"
  base-url="https://partneros.example/api"
></pos-specialization-picker>`,
  },
  {
    tag: 'pos-tag-picker',
    text: 'Training tags as chips. Multiple values, comma-separated in the attribute.',
    code: `<pos-tag-picker
  name="tags"
  label="Training tags"
  multiple
  value="onboarding, sales"
></pos-tag-picker>`,
  },
  {
    tag: 'pos-training-picker',
    text: 'Training modules, narrowed by tags and a specialization.',
    code: `<pos-training-picker
  name="trainings"
  label="Trainings"
  multiple
  tags="onboarding, sales"
></pos-training-picker>
<script type="module">
  const tags = document.querySelector('pos-tag-picker');
  const trainings = document.querySelector('pos-training-picker');
  tags.addEventListener('change', () => (trainings.tags = tags.value));
</script>`,
  },
  {
    tag: 'pos-pptx-export-progress',
    text: 'A lesson’s PowerPoint export from dispatch to download, with Retry.',
    code: `<pos-pptx-export-progress
  lesson-id="3f0c1f1e-8d7a-4c55-9a63-6f1f2c7f6a10"
  lesson-title="Selling the platform"
></pos-pptx-export-progress>
<script type="module">
  const progress = document.querySelector('pos-pptx-export-progress');
  progress.addEventListener('pos-export-completed', (e) =>
    console.log('ready', e.detail.url));
</script>`,
  },
];

function snippetCard({ tag, title, text, code, id }) {
  const codeNode = el('code', {}, code);
  const copy = el(
    'button',
    {
      type: 'button',
      class: 'button button--ghost button--small copy',
      'aria-label': `Copy the ${title ?? tag} snippet`,
      onclick: async (event) => flashCopied(event.currentTarget, await copyText(codeNode.textContent)),
    },
    svgCopyIcon(),
    ' Copy',
  );
  return el(
    'article',
    { class: 'card snippet', 'aria-labelledby': `snippet-${id ?? tag}` },
    el('div', { class: 'snippet__header' }, el('h3', { class: 'snippet__tag', id: `snippet-${id ?? tag}` }, title ?? `<${tag}>`), copy),
    el('p', { class: 'muted' }, text),
    el('pre', { class: 'code', tabindex: '0', 'aria-label': `${title ?? tag} snippet` }, codeNode),
  );
}

function svgCopyIcon() {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 20 20');
  svg.setAttribute('aria-hidden', 'true');
  svg.innerHTML =
    '<rect x="7" y="7" width="9.5" height="9.5" rx="2"/><path d="M13 7V5a1.5 1.5 0 0 0-1.5-1.5h-6A1.5 1.5 0 0 0 4 5v6a1.5 1.5 0 0 0 1.5 1.5H7"/>';
  return svg;
}

function renderSnippets() {
  const grid = $('[data-snippets]', w.root);
  grid.replaceChildren(...SNIPPETS.map(snippetCard), themeCard());
  renderThemeSnippet();
}

/**
 * The theme card: the elements take dark mode from the page's color-scheme,
 * not from the OS. Its switch sets the page's color-scheme (as the header's does) and the elements follow.
 */
function themeCard() {
  const card = snippetCard({
    id: 'theme',
    title: 'Theme',
    text: "The elements follow this page's color-scheme, not the OS: a light page keeps them light under a dark OS. Dark page sets color-scheme: dark on the root (as the switch above does); the tokens are light-dark() pairs.",
    code: '',
  });
  const toggle = el(
    'button',
    {
      type: 'button',
      class: 'button button--ghost button--small',
      id: 'theme-card-dark',
      'aria-pressed': String(document.documentElement.dataset.theme === 'dark'),
      onclick: () => applyTheme({ mode: document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark' }),
    },
    'Dark page',
  );
  card.querySelector('p').after(el('div', {}, toggle));
  return card;
}

/** The theme card shows the page's color-scheme and the --pos-* values in force: the page themes the kit through them alone. */
function renderThemeSnippet() {
  const code = $('#snippet-theme')?.closest('.snippet')?.querySelector('code');
  if (!code) return;
  const style = getComputedStyle(document.documentElement);
  const names = [
    '--pos-accent',
    '--pos-on-accent',
    '--pos-surface',
    '--pos-text',
    '--pos-text-muted',
    '--pos-border',
    '--pos-chip-background',
    '--pos-chip-text',
    '--pos-radius',
  ];
  const lines = [`  color-scheme: ${style.colorScheme};`, ...names.map((n) => `  ${n}: ${style.getPropertyValue(n).trim()};`)];
  code.textContent = `:root {\n${lines.join('\n')}\n}`;
}

void boot();
