import { describe, expect, it } from 'vitest';
import { lazy } from './lazy';

describe('lazy', () => {
  it('imports once: a promise until loaded, then the value itself', async () => {
    let imports = 0;
    const screen = lazy(async () => {
      imports += 1;
      return { default: 'MeetingPage' };
    });
    const first = screen();
    const second = screen();
    expect(first).toBeInstanceOf(Promise);
    expect(second).toBe(first);
    expect(await first).toBe('MeetingPage');
    expect(screen()).toBe('MeetingPage');
    expect(imports).toBe(1);
  });

  it('tries again after a failed load', async () => {
    let attempts = 0;
    const screen = lazy(async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('chunk missing');
      return { default: 'Settings' };
    });
    await expect(screen()).rejects.toThrow('chunk missing');
    expect(await screen()).toBe('Settings');
    expect(attempts).toBe(2);
  });
});
