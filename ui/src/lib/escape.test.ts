import { describe, expect, it, vi } from 'vitest';
import { escapeCloses } from './escape';

function keydown(key: string) {
  return { key, defaultPrevented: false, preventDefault: vi.fn() } as unknown as KeyboardEvent & {
    preventDefault: ReturnType<typeof vi.fn>;
  };
}

describe('escapeCloses', () => {
  it('closes on Esc and marks the key handled, so the page stays', () => {
    const close = vi.fn();
    const event = keydown('Escape');
    escapeCloses(close)(event);
    expect(close).toHaveBeenCalledOnce();
    expect(event.preventDefault).toHaveBeenCalledOnce();
  });

  it('leaves other keys, and Esc while the form may not close, to others', () => {
    const close = vi.fn();
    const enter = keydown('Enter');
    escapeCloses(close)(enter);
    const busy = keydown('Escape');
    escapeCloses(close, () => false)(busy);
    expect(close).not.toHaveBeenCalled();
    expect(enter.preventDefault).not.toHaveBeenCalled();
    expect(busy.preventDefault).not.toHaveBeenCalled();
  });
});
