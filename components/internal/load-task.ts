import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Returned by a task function: nothing to load (status back to `0`, initial; the last value is kept). */
export const initialState: unique symbol = Symbol();

export interface LoadTaskOptions<A extends readonly unknown[], R> {
  /** The task's arguments, read before each host update: it runs again when one changed (`Object.is`). */
  args(): A;
  /** Loads; `signal` aborts when newer arguments supersede this run. */
  task(args: A, signal: AbortSignal): R | typeof initialState | Promise<R | typeof initialState>;
  /** Called with a run's error (not with a superseded run's). */
  onError?(error: unknown): void;
}

/**
 * The part of @lit/task's Task (autoRun) the elements use, as a controller of our own.
 * Own code, smaller than @lit/task (BENCHMARKS.md, "Picker internals").
 * Before each host update the arguments are compared with the last run's; when one changed, the running
 * load (if any) is aborted and the task function is called at once with the new arguments.
 * Only the latest run's outcome is kept (a superseded run's result or error is ignored), and
 * each outcome requests a host update. Status: 0 initial, 1 pending, 2 complete, 3 error, as
 * Task's `TaskStatus`; like Task, an error leaves `value` undefined and a value leaves `error` so.
 */
export class LoadTask<A extends readonly unknown[], R> implements ReactiveController {
  #status: 0 | 1 | 2 | 3 = 0;
  #value?: R;
  #error?: unknown;
  #args?: A;
  #abort?: AbortController;
  readonly #host: ReactiveControllerHost;
  readonly #options: LoadTaskOptions<A, R>;

  constructor(host: ReactiveControllerHost, options: LoadTaskOptions<A, R>) {
    (this.#host = host).addController(this);
    this.#options = options;
  }

  /** 0 initial, 1 pending, 2 complete, 3 error. */
  get status(): 0 | 1 | 2 | 3 {
    return this.#status;
  }
  /** The last completed run's value (undefined after an error). */
  get value(): R | undefined {
    return this.#value;
  }
  /** The last failed run's error (undefined after a value). */
  get error(): unknown {
    return this.#error;
  }

  async hostUpdate(): Promise<void> {
    const args = this.#options.args();
    const last = this.#args;
    if (last && args.length === last.length && args.every((arg, i) => Object.is(arg, last[i]))) return;
    this.#args = args;
    if (this.#status === 1) this.#abort!.abort();
    const abort = (this.#abort = new AbortController());
    this.#status = 1;
    this.#host.requestUpdate();
    let value: R | typeof initialState | undefined;
    let error: unknown;
    let failed = false;
    try {
      value = await this.#options.task(args, abort.signal);
    } catch (e) {
      failed = true;
      error = e;
    }
    // A newer run has started since: this one's outcome is stale.
    if (abort !== this.#abort) return;
    if (value === initialState) this.#status = 0;
    else {
      if (failed) this.#options.onError?.(error);
      this.#status = failed ? 3 : 2;
      this.#value = value;
      this.#error = error;
    }
    this.#host.requestUpdate();
  }
}
