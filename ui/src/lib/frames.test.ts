import { afterEach, describe, expect, it, vi } from 'vitest';
import { afterNextFrame } from './frames';

describe('afterNextFrame', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('resolves only after the next frame has been drawn', async () => {
    let frame: FrameRequestCallback | null = null;
    vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => {
      frame = callback;
      return 1;
    });
    let done = false;
    const waiting = afterNextFrame().then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(done).toBe(false);
    expect(frame).not.toBeNull();
    frame!(0);
    expect(done).toBe(false); // still inside the frame: the drawing comes after
    await waiting;
    expect(done).toBe(true);
  });
});
