import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AUTOSAVE_DELAY_MS, Autosaver, type SaveState } from './autosave';

const at = new Date(2026, 10, 28, 19, 42);

function setup(save = vi.fn(async (_value: string) => {})) {
  const states: SaveState[] = [];
  const saver = new Autosaver(save, (state) => states.push(state), { now: () => at });
  return { save, states, saver, last: () => states[states.length - 1] };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('Autosaver', () => {
  it('saves well under a second after the last keystroke, once', async () => {
    expect(AUTOSAVE_DELAY_MS).toBeLessThanOrEqual(500);
    const { save, saver, last } = setup();
    saver.change('R');
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS - 100);
    saver.change('Ra');
    saver.change('Rap');
    expect(last()).toEqual({ kind: 'saving' });
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS - 1);
    expect(save).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(save.mock.calls).toEqual([['Rap']]);
    expect(last()).toEqual({ kind: 'saved', at });
  });

  it('saves at once on flush (blur, leaving the screen)', async () => {
    const { save, saver, last } = setup();
    saver.change('Rapat dibuka');
    await saver.flush();
    expect(save.mock.calls).toEqual([['Rapat dibuka']]);
    expect(last()).toEqual({ kind: 'saved', at });
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS * 2);
    expect(save).toHaveBeenCalledTimes(1);
    await saver.flush();
    expect(save).toHaveBeenCalledTimes(1);
  });

  it('keeps one save at a time and saves what was typed during it right after', async () => {
    let finish: () => void = () => {};
    const save = vi.fn((_value: string) => new Promise<void>((resolve) => (finish = resolve)));
    const { saver, last } = setup(save);
    saver.change('a');
    const first = saver.flush();
    saver.change('ab');
    const second = saver.flush();
    expect(save.mock.calls).toEqual([['a']]);
    finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(save.mock.calls).toEqual([['a'], ['ab']]);
    expect(last()).toEqual({ kind: 'saving' });
    finish();
    await Promise.all([first, second]);
    expect(last()).toEqual({ kind: 'saved', at });
  });

  it('reports a failure in words, keeps the text and saves it again on retry', async () => {
    const save = vi.fn(async (_value: string) => {});
    save.mockRejectedValueOnce({ code: 'database', fields: [] });
    const { saver, last } = setup(save);
    saver.change('Keputusan: jalan dibeton');
    await saver.flush();
    expect(last()).toEqual({ kind: 'failed', error: { code: 'database', fields: [] } });
    await saver.retry();
    expect(save.mock.calls).toEqual([['Keputusan: jalan dibeton'], ['Keputusan: jalan dibeton']]);
    expect(last()).toEqual({ kind: 'saved', at });
  });

  it('forgets what waits when cancelled', async () => {
    const { save, saver } = setup();
    saver.change('x');
    saver.cancel();
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS * 2);
    await saver.flush();
    expect(save).not.toHaveBeenCalled();
  });
});
