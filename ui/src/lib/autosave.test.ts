import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AUTOSAVE_DELAY_MS, Autosaver, flushAll, type SaveState } from './autosave';

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

  it('saves every waiting text at once when the window closes, and nothing twice', async () => {
    const notulen = setup();
    const decisions = setup();
    const untouched = setup();
    notulen.saver.change('Rapat dibuka pukul 19.35');
    decisions.saver.change('Sepakat');
    await flushAll();
    expect(notulen.save.mock.calls).toEqual([['Rapat dibuka pukul 19.35']]);
    expect(decisions.save.mock.calls).toEqual([['Sepakat']]);
    expect(untouched.save).not.toHaveBeenCalled();
    await flushAll();
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS * 2);
    expect(notulen.save).toHaveBeenCalledTimes(1);
  });

  it('lets the window close when a save is refused, and tries that text again next time', async () => {
    const save = vi.fn(async (_value: string) => {});
    save.mockRejectedValueOnce({ code: 'database', fields: [] });
    const { saver } = setup(save);
    saver.change('Keputusan');
    await flushAll();
    expect(save).toHaveBeenCalledTimes(1);
    await saver.retry();
    await flushAll();
    expect(save.mock.calls).toEqual([['Keputusan'], ['Keputusan']]);
  });
});
