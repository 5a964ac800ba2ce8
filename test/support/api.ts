/** Browser-side helpers for tests that talk to the reference server. */
import { executeServerCommand } from '@web/test-runner-commands';
import { LESSON_BEHAVIOUR, TEST_USERS } from '../fixtures/test-users.js';

export { LESSON_BEHAVIOUR, TEST_USERS };

/** The reference server's API base URL (another origin than the test page). */
export const API = (window as unknown as { __POS_API__: string }).__POS_API__;
export const PASSWORD = 'partneros-demo';

/** Signs in (the session cookie is set for the API's host) and returns the body. */
export async function signIn(email: string = TEST_USERS.acme) {
  const response = await fetch(`${API}/auth/sign-in/email`, {
    method: 'POST',
    credentials: 'include',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (!response.ok) throw new Error(`sign-in as ${email} failed: ${response.status}`);
  return response.json();
}

export async function signOut() {
  await fetch(`${API}/auth/sign-out`, { method: 'POST', credentials: 'include' });
}

/** GETs an API path with the session cookie and returns the parsed JSON. */
export async function apiGet<T = unknown>(path: string): Promise<T> {
  const response = await fetch(`${API}${path}`, { credentials: 'include' });
  return response.json() as Promise<T>;
}

export interface Health {
  ok: boolean;
  openStreams: number;
  watchedExports: number;
  pollChecks: number;
}

/** The reference server's /healthz, read from Node (no cookie, no CORS involved). */
export const apiHealth = () => executeServerCommand<Health, undefined>('api-health');
/** Kills the reference server (like a crash) / starts it again on the same port and database. */
export const stopApi = () => executeServerCommand('api-stop');
export const startApi = () => executeServerCommand('api-start');
/** Stops the reference server gracefully (SIGTERM): open streams get `server_restarting`. */
export const stopApiGracefully = () => executeServerCommand('api-stop-graceful');

/**
 * A server that misbehaves on purpose (test/support/misbehaving-server.mjs):
 * the base URL of an API whose every answer shows `behaviour`.
 */
export const misbehavingApi = (
  behaviour:
    | 'hang'
    | 'html-500'
    | 'malformed-json'
    | 'never-ends'
    | 'garbage-stream'
    | 'connected-only'
    | 'html-stream'
    | `json-${number}-${string}`,
) => `${(window as unknown as { __POS_MISBEHAVING__: string }).__POS_MISBEHAVING__}/${behaviour}/api`;

/** The id of a lesson of the signed-in user's organisation, by its title. */
export async function lessonId(title: string): Promise<string> {
  const { lessons } = await apiGet<{ lessons: { id: string; title: string }[] }>('/enablement/lessons');
  const lesson = lessons.find((l) => l.title === title);
  if (!lesson) throw new Error(`no lesson titled "${title}"`);
  return lesson.id;
}

/** Collects what reaches the page as uncaught: it must stay empty. */
export function watchUncaught() {
  const uncaught: string[] = [];
  const onError = (e: ErrorEvent) => uncaught.push(`error: ${e.message}`);
  const onRejection = (e: PromiseRejectionEvent) => uncaught.push(`unhandled rejection: ${String(e.reason)}`);
  window.addEventListener('error', onError);
  window.addEventListener('unhandledrejection', onRejection);
  return {
    uncaught,
    stop: () => {
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onRejection);
    },
  };
}
