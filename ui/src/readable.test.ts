import { describe, expect, it } from 'vitest';

// The root font size is 112.5% (18px where the system default is 16px,
// app.css); the brief asks for no text under 16px.
const ROOT_PX = 18;
const SMALLEST_PX = 16;

const styles = Object.entries({
  ...import.meta.glob<string>('/src/**/*.svelte', { query: '?raw', import: 'default', eager: true }),
  ...import.meta.glob<string>('/src/**/*.css', { query: '?raw', import: 'default', eager: true }),
});

/** Every `font-size` written in rem or px, with where it is. */
function fontSizes(): { path: string; px: number; text: string }[] {
  return styles.flatMap(([path, source]) =>
    [...source.matchAll(/font-size:\s*([\d.]+)(rem|px)/g)].map((match) => ({
      path,
      px: Number(match[1]) * (match[2] === 'rem' ? ROOT_PX : 1),
      text: match[0],
    })),
  );
}

describe('reading', () => {
  it('finds the font sizes to check, the stylesheet included', () => {
    expect(fontSizes().length).toBeGreaterThan(20);
    expect(fontSizes().some(({ path }) => path === '/src/app.css')).toBe(true);
  });

  it('sets no text under 16 px', () => {
    const small = fontSizes().filter(({ px }) => px < SMALLEST_PX);
    expect(small.map(({ path, text }) => `${path}: ${text}`)).toEqual([]);
  });
});
