import { describe, expect, it } from 'vitest';
import { latestOnly, serial } from './latest';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('latestOnly', () => {
  it('passes the answer of the last request and marks earlier ones stale, whatever order they answer in', async () => {
    const track = latestOnly();
    const first = deferred<string>();
    const second = deferred<string>();
    const firstOutcome = track(first.promise);
    const secondOutcome = track(second.promise);
    second.resolve('jalan');
    first.resolve('j');
    expect(await secondOutcome).toEqual({ status: 'current', value: 'jalan' });
    expect(await firstOutcome).toEqual({ status: 'stale' });
  });

  it('reports the failure of the last request only', async () => {
    const track = latestOnly();
    const old = track(Promise.reject(new Error('old')));
    const last = track(Promise.reject(new Error('last')));
    expect(await old).toEqual({ status: 'stale' });
    expect(await last).toEqual({ status: 'failed', error: new Error('last') });
  });
});

describe('serial', () => {
  it('runs tasks one at a time in the order given, past a failure', async () => {
    const enqueue = serial();
    const log: string[] = [];
    const gate = deferred<void>();
    const first = enqueue(async () => {
      log.push('start 1');
      await gate.promise;
      log.push('end 1');
      throw new Error('refused');
    });
    const second = enqueue(async () => {
      log.push('start 2');
      return 2;
    });
    await Promise.resolve();
    expect(log).toEqual(['start 1']);
    gate.resolve();
    await expect(first).rejects.toThrow('refused');
    expect(await second).toBe(2);
    expect(log).toEqual(['start 1', 'end 1', 'start 2']);
  });
});
