import { invoke } from '@tauri-apps/api/core';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { isPractising, PRACTICE_KEY, switchPractice, type SessionStore } from './practice';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
const mockedInvoke = vi.mocked(invoke);

function session(): SessionStore & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

beforeEach(() => {
  mockedInvoke.mockReset();
});

describe('practice', () => {
  it('a fresh window is not practising', () => {
    expect(isPractising(session())).toBe(false);
  });

  it('asks the shell for the practice folder, remembers it and reloads', async () => {
    const store = session();
    const reload = vi.fn();
    mockedInvoke.mockResolvedValue(null);
    await switchPractice(true, 'Rembug — Latihan', store, reload);
    expect(mockedInvoke).toHaveBeenCalledWith('start_practice', { title: 'Rembug — Latihan' });
    expect(isPractising(store)).toBe(true);
    expect(reload).toHaveBeenCalledOnce();

    await switchPractice(false, 'Rembug', store, reload);
    expect(mockedInvoke).toHaveBeenLastCalledWith('stop_practice', { title: 'Rembug' });
    expect(store.items.has(PRACTICE_KEY)).toBe(false);
    expect(reload).toHaveBeenCalledTimes(2);
  });

  it('changes nothing when the shell refuses', async () => {
    const store = session();
    const reload = vi.fn();
    mockedInvoke.mockRejectedValue({ code: 'data_dir_in_use', fields: [] });
    await expect(switchPractice(true, 'Rembug — Latihan', store, reload)).rejects.toEqual({
      code: 'data_dir_in_use',
      fields: [],
    });
    expect(isPractising(store)).toBe(false);
    expect(reload).not.toHaveBeenCalled();
  });
});
