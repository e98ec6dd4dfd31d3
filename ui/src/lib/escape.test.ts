import { describe, expect, it, vi } from 'vitest';
import { escapeCloses, leaveField } from './escape';

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

describe('leaveField', () => {
  function escapeIn(target: unknown, key = 'Escape') {
    return { key, defaultPrevented: false, target, preventDefault: vi.fn() } as unknown as KeyboardEvent & {
      preventDefault: ReturnType<typeof vi.fn>;
    };
  }

  it('blurs a text field, the notulen textarea or a score cell on Esc, and marks the key handled', () => {
    for (const field of [
      { tagName: 'INPUT', type: 'text', blur: vi.fn() },
      { tagName: 'INPUT', type: 'search', blur: vi.fn() },
      { tagName: 'TEXTAREA', blur: vi.fn() },
      { tagName: 'SELECT', blur: vi.fn() },
      { tagName: 'DIV', isContentEditable: true, blur: vi.fn() },
    ]) {
      const event = escapeIn(field);
      expect(leaveField(event)).toBe(true);
      expect(field.blur).toHaveBeenCalledOnce();
      expect(event.preventDefault).toHaveBeenCalledOnce();
    }
  });

  it('leaves Esc on a button or checkbox, other keys and an Esc already handled to the app', () => {
    const button = { tagName: 'BUTTON', blur: vi.fn() };
    const checkbox = { tagName: 'INPUT', type: 'checkbox', blur: vi.fn() };
    const text = { tagName: 'INPUT', type: 'text', blur: vi.fn() };
    expect(leaveField(escapeIn(button))).toBe(false);
    expect(leaveField(escapeIn(checkbox))).toBe(false);
    expect(leaveField(escapeIn(text, 'Enter'))).toBe(false);
    const handled = { ...escapeIn(text), defaultPrevented: true };
    expect(leaveField(handled)).toBe(false);
    expect(leaveField(escapeIn(null))).toBe(false);
    expect(text.blur).not.toHaveBeenCalled();
  });
});
