import { invoke } from '@tauri-apps/api/core';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { askFirstList, takeFirstList } from './firstMeetingList';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
const mockedInvoke = vi.mocked(invoke);

const list = { meetings: [], total: 0 };

describe('the first meeting list', () => {
  beforeEach(() => {
    mockedInvoke.mockReset();
    mockedInvoke.mockResolvedValue(list);
    takeFirstList({}); // nothing left over from another test
  });

  it('asks the core once, for the unfiltered list', async () => {
    await askFirstList();
    expect(mockedInvoke).toHaveBeenCalledTimes(1);
    expect(mockedInvoke).toHaveBeenCalledWith('list_meetings', { filter: {} });
  });

  it('is taken by the first unfiltered list, once', async () => {
    const asked = askFirstList();
    expect(takeFirstList({})).toBe(asked);
    expect(takeFirstList({})).toBeNull();
  });

  it('is not taken for a filtered list, nor kept for a later one', () => {
    void askFirstList();
    expect(takeFirstList({ stage: 'rembug_warga' })).toBeNull();
    expect(takeFirstList({})).toBeNull();
  });
});
