import { describe, expect, it } from 'vitest';
import { FIRST_ROWS, MORE_ROWS, renderedRows } from './rowWindow';

describe('renderedRows', () => {
  it('renders the first page of a long list, and all of a short one', () => {
    expect(renderedRows(200, FIRST_ROWS, -1)).toBe(FIRST_ROWS);
    expect(renderedRows(12, FIRST_ROWS, -1)).toBe(12);
    expect(renderedRows(0, FIRST_ROWS, -1)).toBe(0);
  });

  it('grows by a page as the end comes near, never past the list', () => {
    expect(renderedRows(200, FIRST_ROWS + MORE_ROWS, -1)).toBe(FIRST_ROWS + MORE_ROWS);
    expect(renderedRows(40, FIRST_ROWS + MORE_ROWS, -1)).toBe(40);
  });

  it('always includes the row that takes the focus back, even far down', () => {
    expect(renderedRows(200, FIRST_ROWS, 150)).toBe(151);
    expect(renderedRows(200, FIRST_ROWS, FIRST_ROWS)).toBe(FIRST_ROWS + 1);
    expect(renderedRows(200, FIRST_ROWS, 3)).toBe(FIRST_ROWS);
  });

  it('the first page fills a 1366×768 screen: at least eight rows', () => {
    expect(FIRST_ROWS).toBeGreaterThanOrEqual(8);
    expect(MORE_ROWS).toBeGreaterThan(0);
  });
});
