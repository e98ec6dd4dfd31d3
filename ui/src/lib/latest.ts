// Answers that arrive out of order: search as you type and the filtered
// meeting list send a request per keystroke, and only the answer to the last
// one may reach the screen.

export type Outcome<T> = { status: 'current'; value: T } | { status: 'failed'; error: unknown } | { status: 'stale' };

/**
 * A tracker of requests: each call wraps one request; its outcome is `stale`
 * when another request was made after it, whatever it answered.
 */
export function latestOnly(): <T>(request: Promise<T>) => Promise<Outcome<T>> {
  let issued = 0;
  return async <T>(request: Promise<T>): Promise<Outcome<T>> => {
    const ticket = ++issued;
    try {
      const value = await request;
      return ticket === issued ? { status: 'current', value } : { status: 'stale' };
    } catch (error) {
      return ticket === issued ? { status: 'failed', error } : { status: 'stale' };
    }
  };
}

/**
 * A queue that runs tasks one after another, in the order they were given:
 * scores typed quickly reach the core, and their answers come back, in the
 * order they were typed. A failed task does not stop the ones after it.
 */
export function serial(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}
