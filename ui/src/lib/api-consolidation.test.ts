import { describe, expect, it } from 'vitest';
import { rwListText } from './api-consolidation';

describe('a list of RWs in a sentence', () => {
  it('joins the last one with the word for "and"', () => {
    expect(rwListText([], 'dan')).toBe('');
    expect(rwListText([3], 'dan')).toBe('3');
    expect(rwListText([3, 7], 'dan')).toBe('3 dan 7');
    expect(rwListText([3, 7, 9], 'and')).toBe('3, 7 and 9');
  });
});
