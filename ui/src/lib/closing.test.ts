import { beforeEach, describe, expect, it, vi } from 'vitest';

const calls = vi.hoisted(() => [] as string[]);
vi.mock('./api', () => ({
  call: vi.fn(async (command: string) => {
    calls.push(command);
    return null;
  }),
}));

const { beforeClose } = await import('./closing');
const { holdLeaving } = await import('./leaveGuard');

describe('closing the window', () => {
  beforeEach(() => {
    calls.length = 0;
  });

  it('closes at once when no screen holds unsaved work', async () => {
    await beforeClose();
    expect(calls).toEqual(['close_ready']);
  });

  it('keeps the window open while the cadre is asked about unsaved work, and closes once they agree', async () => {
    let agree: (() => void) | null = null;
    const release = holdLeaving((leave) => {
      agree = leave;
      return true;
    });
    await beforeClose();
    expect(calls).toEqual(['close_held']);
    agree!();
    expect(calls).toEqual(['close_held', 'close_ready']);
    release();
  });
});
