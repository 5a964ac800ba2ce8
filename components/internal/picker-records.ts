import type { ReactiveControllerHost } from 'lit';
import { PosApiError, apiUrl } from './api.js';
import { LoadTask, initialState } from './load-task.js';
import { loadRecords, refreshShared } from './record-loader.js';

/** Where a picker's records come from: `GET {base-url}/{endpoint}`, the list under `key`. */
export interface RecordSource {
  endpoint: string;
  key: string;
}

/** The detail of the `pos-error` event. */
export interface PosErrorDetail {
  /** The HTTP status, when a response arrived. */
  status?: number;
  /** `unauthorized`, `no_active_organization`, `network_error`, `invalid_response`, `http_error`, … */
  code: string;
  /** A readable sentence. */
  message: string;
}

/** What the controller reads from its picker before each update. */
export interface PickerRecordsOptions<T> {
  baseUrl(): string;
  timeout(): number;
  /** Records handed in by the host: nothing is requested while set. */
  data(): readonly T[] | undefined;
  /** The endpoint, or null for a list that ships with the element (`builtIn`). */
  source(): RecordSource | null;
  builtIn(): readonly T[] | undefined;
}

export type LoadState = 'initial' | 'pending' | 'complete' | 'error';

/**
 * A picker's records: the host's `data`, the element's built-in list, or the
 * endpoint's, loaded through the page-wide shared request (record-loader.ts)
 * again whenever the base URL, the source or `data` changes, and on `refresh()`.
 * A failed load is reported once as a `pos-error` event from the host.
 */
export class PickerRecords<T> {
  #revision = 0;
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #options: PickerRecordsOptions<T>;
  readonly #task: LoadTask<readonly [string, readonly T[] | undefined, RecordSource | null, number], T[]>;

  constructor(host: ReactiveControllerHost & HTMLElement, options: PickerRecordsOptions<T>) {
    this.#host = host;
    this.#options = options;
    this.#task = new LoadTask(host, {
      args: () => [options.baseUrl(), options.data(), options.source(), this.#revision] as const,
      task: async ([baseUrl, data, source], signal) => {
        if (data || !source) return initialState;
        // Hosts hand in `data` just after the element upgrades (after its first update): ask the server
        // a task later, so that a list the host supplies is never requested (a newer run aborts `signal`).
        await new Promise((resolve) => setTimeout(resolve));
        return loadRecords<T>(baseUrl, source.endpoint, source.key, signal, options.timeout());
      },
      onError: (error) => this.#report(error),
    });
  }

  /** The records offered (before filtering), or undefined while loading. */
  get value(): readonly T[] | undefined {
    return this.#options.data() ?? this.#options.builtIn() ?? this.#task.value;
  }

  get state(): LoadState {
    if (this.#options.data() || !this.#options.source()) return 'complete';
    return (['initial', 'pending', 'complete', 'error'] as const)[this.#task.status];
  }

  /** The last load's failure (undefined after a success). */
  get error(): (Error & { status?: number }) | undefined {
    return this.#task.error as (Error & { status?: number }) | undefined;
  }

  /** Loads again from the server (other pickers keep their records until they reload). */
  refresh(): void {
    const source = this.#options.source();
    if (source) refreshShared(apiUrl(this.#options.baseUrl(), source.endpoint));
    this.#revision++;
    this.#host.requestUpdate();
  }

  #report(error: unknown): void {
    if ((error as Error)?.name === 'AbortError') return;
    const e = error instanceof PosApiError ? error : new PosApiError(String((error as Error)?.message ?? error), 'unknown_error');
    const detail: PosErrorDetail = { status: e.status, code: e.code, message: e.message };
    this.#host.dispatchEvent(new CustomEvent<PosErrorDetail>('pos-error', { detail, bubbles: true, composed: true }));
  }
}
