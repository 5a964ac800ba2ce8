import { expect } from '@open-wc/testing';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { LoadTask, initialState } from '../../../components/internal/load-task.js';

/** A host that records update requests; `update()` runs the controllers' hostUpdate as an element's update does. */
function fakeHost() {
  const controllers: ReactiveController[] = [];
  const host = {
    requests: 0,
    addController: (c: ReactiveController) => void controllers.push(c),
    removeController: () => undefined,
    requestUpdate() {
      host.requests++;
    },
    updateComplete: Promise.resolve(true),
    update: () => controllers.forEach((c) => c.hostUpdate?.()),
  };
  return host as typeof host & ReactiveControllerHost;
}

/** A promise with its resolve and reject. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const settle = () => new Promise((resolve) => setTimeout(resolve));

describe('LoadTask (the loading controller, in place of @lit/task)', () => {
  it('runs when an argument changed (Object.is), pending then complete, each requesting an update', async () => {
    const host = fakeHost();
    let args: readonly unknown[] = ['a', NaN];
    const calls: unknown[][] = [];
    const task = new LoadTask(host, { args: () => args, task: (a) => (calls.push([...a]), Promise.resolve(`value of ${a[0]}`)) });
    expect(task.status).to.equal(0);
    host.update();
    expect(task.status, 'pending at once').to.equal(1);
    expect(calls).to.deep.equal([['a', NaN]]);
    await settle();
    expect(task.status).to.equal(2);
    expect(task.value).to.equal('value of a');
    expect(host.requests).to.equal(2);
    args = ['a', NaN];
    host.update();
    expect(calls, 'equal arguments (NaN too): no run').to.have.length(1);
    args = ['b', NaN];
    host.update();
    await settle();
    expect(calls).to.have.length(2);
    expect(task.value).to.equal('value of b');
  });

  it('newer arguments abort the running load and its late result is ignored', async () => {
    const host = fakeHost();
    let args = ['first'];
    const runs: { signal: AbortSignal; result: ReturnType<typeof deferred<string>> }[] = [];
    const task = new LoadTask(host, {
      args: () => args,
      task: (_a, signal) => {
        const result = deferred<string>();
        runs.push({ signal, result });
        return result.promise;
      },
    });
    host.update();
    args = ['second'];
    host.update();
    expect(runs[0]!.signal.aborted).to.equal(true);
    expect(runs[1]!.signal.aborted).to.equal(false);
    runs[1]!.result.resolve('second');
    await settle();
    runs[0]!.result.resolve('first, late');
    await settle();
    expect(task.status).to.equal(2);
    expect(task.value).to.equal('second');
  });

  it('an error: status 3, the error, no value, onError once; a superseded run’s error is not reported', async () => {
    const host = fakeHost();
    let args = [1];
    const errors: unknown[] = [];
    const first = deferred<string>();
    const task = new LoadTask(host, {
      args: () => args,
      task: ([n]) => (n === 1 ? first.promise : n === 2 ? Promise.resolve('two') : Promise.reject(new Error('three'))),
      onError: (e) => errors.push(e),
    });
    host.update();
    args = [2];
    host.update();
    first.reject(new Error('stale'));
    await settle();
    expect(errors, 'the stale error').to.deep.equal([]);
    expect(task.value).to.equal('two');
    args = [3];
    host.update();
    await settle();
    expect(task.status).to.equal(3);
    expect((task.error as Error).message).to.equal('three');
    expect(task.value).to.equal(undefined);
    expect(errors).to.have.length(1);
  });

  it('a task function that throws at once is an error too', async () => {
    const host = fakeHost();
    const task = new LoadTask(host, {
      args: () => [1],
      task: () => {
        throw new Error('sync');
      },
    });
    host.update();
    await settle();
    expect(task.status).to.equal(3);
    expect((task.error as Error).message).to.equal('sync');
  });

  it('initialState: back to status 0, the last value kept', async () => {
    const host = fakeHost();
    let load = true;
    const task = new LoadTask<readonly boolean[], string>(host, {
      args: () => [load],
      task: ([l]) => (l ? Promise.resolve('loaded') : initialState),
    });
    host.update();
    await settle();
    expect(task.value).to.equal('loaded');
    load = false;
    host.update();
    await settle();
    expect(task.status).to.equal(0);
    expect(task.value).to.equal('loaded');
  });
});
