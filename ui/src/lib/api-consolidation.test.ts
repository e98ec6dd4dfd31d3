import { describe, expect, it } from 'vitest';
import { rwListText } from './api-consolidation';

describe('a list of RWs in a sentence', () => {
  it('joins the last one with the word for "and"', () => {
    expect(rwListText([], 'dan')).toBe('');
    expect(rwListText([3], 'dan')).toBe('03');
    expect(rwListText([3, 7], 'dan')).toBe('03 dan 07');
    expect(rwListText([3, 7, 12], 'and')).toBe('03, 07 and 12');
  });
});
