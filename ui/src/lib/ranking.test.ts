import { describe, expect, it } from 'vitest';
import type { RankedUsulan } from './bindings';
import { translate } from './i18n/translate';
import { cellAction, inEntryOrder, lokasiText, moveItem, nextCell, scoreText } from './ranking';

const plain = { ctrl: false, alt: false, meta: false };

describe('the scoring grid keyboard', () => {
  it('sets a score with 1 to 5 and clears it with Backspace or Delete', () => {
    const cell = { row: 0, column: 0 };
    expect(cellAction('4', plain, cell, 3, 5)).toEqual({ kind: 'score', score: 4 });
    expect(cellAction('Backspace', plain, cell, 3, 5)).toEqual({ kind: 'clear' });
    expect(cellAction('Delete', plain, cell, 3, 5)).toEqual({ kind: 'clear' });
  });

  it('refuses other characters and leaves Tab and shortcuts alone', () => {
    const cell = { row: 0, column: 0 };
    for (const key of ['0', '6', '9', 'a', ' ']) expect(cellAction(key, plain, cell, 3, 5)).toEqual({ kind: 'refuse' });
    expect(cellAction('Tab', plain, cell, 3, 5)).toEqual({ kind: 'pass' });
    expect(cellAction('F5', plain, cell, 3, 5)).toEqual({ kind: 'pass' });
    expect(cellAction('3', { ...plain, ctrl: true }, cell, 3, 5)).toEqual({ kind: 'pass' });
  });

  it('moves with the arrows, Enter, Home and End, and stops at the edges', () => {
    const middle = { row: 1, column: 2 };
    expect(cellAction('ArrowUp', plain, middle, 3, 5)).toEqual({ kind: 'move', to: { row: 0, column: 2 } });
    expect(cellAction('ArrowDown', plain, middle, 3, 5)).toEqual({ kind: 'move', to: { row: 2, column: 2 } });
    expect(cellAction('Enter', plain, middle, 3, 5)).toEqual({ kind: 'move', to: { row: 2, column: 2 } });
    expect(cellAction('ArrowLeft', plain, middle, 3, 5)).toEqual({ kind: 'move', to: { row: 1, column: 1 } });
    expect(cellAction('ArrowRight', plain, middle, 3, 5)).toEqual({ kind: 'move', to: { row: 1, column: 3 } });
    expect(cellAction('Home', plain, middle, 3, 5)).toEqual({ kind: 'move', to: { row: 1, column: 0 } });
    expect(cellAction('End', plain, middle, 3, 5)).toEqual({ kind: 'move', to: { row: 1, column: 4 } });
    const corner = { row: 0, column: 0 };
    expect(cellAction('ArrowUp', plain, corner, 3, 5)).toEqual({ kind: 'move', to: corner });
    expect(cellAction('ArrowLeft', plain, corner, 3, 5)).toEqual({ kind: 'move', to: corner });
  });

  it('goes on to the next criterion, then to the next usulan, after a score', () => {
    expect(nextCell({ row: 0, column: 0 }, 3, 5)).toEqual({ row: 0, column: 1 });
    expect(nextCell({ row: 0, column: 4 }, 3, 5)).toEqual({ row: 1, column: 0 });
    expect(nextCell({ row: 2, column: 4 }, 3, 5)).toEqual({ row: 2, column: 4 });
  });
});

describe('moveItem', () => {
  it('swaps an item with its neighbour and leaves the ends alone', () => {
    expect(moveItem(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveItem(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveItem(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });
});

describe('inEntryOrder', () => {
  it('orders ranked rows by their place of entry', () => {
    const row = (usulan_id: string, rank: number, position: number) => ({ usulan_id, rank, position }) as RankedUsulan;
    expect(inEntryOrder([row('b', 1, 2), row('c', 2, 3), row('a', 3, 1)]).map((r) => r.usulan_id)).toEqual(['a', 'b', 'c']);
  });
});

describe('lokasiText', () => {
  const words = { rt: (list: string) => `RT ${list}`, rw: (rw: string) => `RW ${rw}` };

  it('joins the parts given', () => {
    expect(lokasiText({ alamat: 'Jl. Melati', rt_list: '1,3', rw: 5 }, words)).toBe('Jl. Melati, RT 01, 03, RW 05');
    expect(lokasiText({ alamat: 'Gang Mawar', rt_list: '', rw: null }, words)).toBe('Gang Mawar');
    expect(lokasiText({ alamat: '', rt_list: '2', rw: 7 }, words)).toBe('RT 02, RW 07');
  });
});

describe('scoreText', () => {
  it('reads the core\'s number out of 100 as the papers print it', () => {
    const word = (score: string) => translate('id', 'ranking.score', { score });
    expect(scoreText({ score: '77,0' }, word)).toBe('77,0 dari 100');
    expect(scoreText({ score: null }, word)).toBeNull();
    expect(scoreText({ score: '77,0' }, (score) => translate('en', 'ranking.score', { score }))).toBe('77,0 of 100');
  });
});
