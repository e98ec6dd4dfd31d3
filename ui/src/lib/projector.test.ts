import { describe, expect, it } from 'vitest';
import { pageAfterKey, projectorPage } from './projector';

describe('projectorPage', () => {
  it('pages 32 usulan by eight: "1–8 dari 32" to "25–32 dari 32"', () => {
    expect(projectorPage(32, 0)).toEqual({ page: 0, pages: 4, first: 1, last: 8, total: 32 });
    expect(projectorPage(32, 3)).toEqual({ page: 3, pages: 4, first: 25, last: 32, total: 32 });
  });

  it('ends the last page at the last usulan and clamps a page that no longer exists', () => {
    expect(projectorPage(10, 1)).toMatchObject({ first: 9, last: 10, pages: 2 });
    expect(projectorPage(10, 5)).toMatchObject({ page: 1, first: 9, last: 10 });
    expect(projectorPage(3, -1)).toMatchObject({ page: 0, first: 1, last: 3, pages: 1 });
    expect(projectorPage(0, 0)).toMatchObject({ page: 0, first: 0, last: 0, pages: 1 });
  });
});

describe('pageAfterKey', () => {
  it('moves with PageDown and PageUp, stopping at either end', () => {
    expect(pageAfterKey('PageDown', 0, 4)).toBe(1);
    expect(pageAfterKey('PageDown', 3, 4)).toBe(3);
    expect(pageAfterKey('PageUp', 1, 4)).toBe(0);
    expect(pageAfterKey('PageUp', 0, 4)).toBe(0);
    expect(pageAfterKey('End', 0, 4)).toBe(3);
    expect(pageAfterKey('Home', 3, 4)).toBe(0);
  });

  it('leaves other keys alone', () => {
    expect(pageAfterKey('Enter', 0, 4)).toBeNull();
    expect(pageAfterKey('ArrowDown', 0, 4)).toBeNull();
  });
});
