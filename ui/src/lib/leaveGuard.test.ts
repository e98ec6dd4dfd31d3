import { describe, expect, it, vi } from 'vitest';
import { holdLeaving, leaveThen } from './leaveGuard';

describe('leaveGuard', () => {
  it('leaves at once when nothing holds it', () => {
    const leave = vi.fn();
    leaveThen(leave);
    expect(leave).toHaveBeenCalledOnce();
  });

  it('lets the holding screen ask first, and leave only when the cadre agrees', () => {
    let asked: (() => void) | null = null;
    let unsaved = true;
    const release = holdLeaving((leave) => {
      if (!unsaved) return false;
      asked = leave;
      return true;
    });
    const leave = vi.fn();
    leaveThen(leave);
    expect(leave).not.toHaveBeenCalled();
    expect(asked).not.toBeNull();
    asked!();
    expect(leave).toHaveBeenCalledOnce();

    // Saved since: nothing to ask.
    unsaved = false;
    const again = vi.fn();
    leaveThen(again);
    expect(again).toHaveBeenCalledOnce();
    release();
  });

  it('a released guard holds nothing, and an older release leaves a newer guard', () => {
    const first = holdLeaving(() => true);
    const second = holdLeaving(() => true);
    first();
    const held = vi.fn();
    leaveThen(held);
    expect(held).not.toHaveBeenCalled();
    second();
    const free = vi.fn();
    leaveThen(free);
    expect(free).toHaveBeenCalledOnce();
  });
});
