// The keyboard of the scoring grid and the consensus order editor. The core
// computes totals and ranks (crates/rembug-core/src/ranking.rs); here is only
// which cell a key goes to and which list a move makes.
import type { RankedUsulan } from './bindings';
import { rtListText } from './usulan';
import { areaNumber } from './wilayah';

/** A cell of the scoring grid: usulan row, criterion column, both from 0. */
export interface Cell {
  row: number;
  column: number;
}

/** What a key pressed in a score cell does. */
export type CellAction =
  | { kind: 'score'; score: number }
  | { kind: 'clear' }
  | { kind: 'move'; to: Cell }
  /** A key that would type anything else into the cell: swallowed, with a hint. */
  | { kind: 'refuse' }
  /** Tab, shortcuts and the like: the browser's own. */
  | { kind: 'pass' };

const SCORE_KEYS = /^[1-5]$/;
const MOVES: Readonly<Record<string, Cell>> = {
  ArrowUp: { row: -1, column: 0 },
  ArrowDown: { row: 1, column: 0 },
  ArrowLeft: { row: 0, column: -1 },
  ArrowRight: { row: 0, column: 1 },
  Enter: { row: 1, column: 0 },
};

function clamp(value: number, max: number): number {
  return Math.min(Math.max(value, 0), max);
}

/**
 * The cell after `cell` in reading order: the next criterion, then the first
 * of the next usulan. The last cell stays where it is.
 */
export function nextCell(cell: Cell, rows: number, columns: number): Cell {
  if (cell.column + 1 < columns) return { row: cell.row, column: cell.column + 1 };
  if (cell.row + 1 < rows) return { row: cell.row + 1, column: 0 };
  return cell;
}

/** What `key` does in `cell` of a grid of `rows` × `columns`. */
export function cellAction(
  key: string,
  modifiers: { ctrl: boolean; alt: boolean; meta: boolean },
  cell: Cell,
  rows: number,
  columns: number,
): CellAction {
  if (modifiers.ctrl || modifiers.alt || modifiers.meta) return { kind: 'pass' };
  if (SCORE_KEYS.test(key)) return { kind: 'score', score: Number(key) };
  if (key === 'Backspace' || key === 'Delete') return { kind: 'clear' };
  const move = MOVES[key];
  if (move) {
    return { kind: 'move', to: { row: clamp(cell.row + move.row, rows - 1), column: clamp(cell.column + move.column, columns - 1) } };
  }
  if (key === 'Home') return { kind: 'move', to: { row: cell.row, column: 0 } };
  if (key === 'End') return { kind: 'move', to: { row: cell.row, column: columns - 1 } };
  // One printable character (a letter, 0, 6 to 9, a space).
  if ([...key].length === 1) return { kind: 'refuse' };
  return { kind: 'pass' };
}

/** `ids` with the item at `index` moved one place up (-1) or down (+1); unchanged at either end. */
export function moveItem<T>(ids: readonly T[], index: number, delta: -1 | 1): T[] {
  const target = index + delta;
  const moved = [...ids];
  if (index < 0 || index >= ids.length || target < 0 || target >= ids.length) return moved;
  [moved[index], moved[target]] = [moved[target] as T, moved[index] as T];
  return moved;
}

/** The ranked rows in the order of entry: the grid's rows, which never move while scoring. */
export function inEntryOrder(rows: readonly RankedUsulan[]): RankedUsulan[] {
  return [...rows].sort((a, b) => a.position - b.position);
}

/**
 * Where an usulan is: "Jl. Melati, RT 1, 3, RW 5", each part only when
 * given. `rt` and `rw` write the numbers the way the catalogue says.
 */
export function lokasiText(
  row: Pick<RankedUsulan, 'alamat' | 'rt_list' | 'rw'>,
  words: { rt: (list: string) => string; rw: (rw: string) => string },
): string {
  const rt = rtListText(row.rt_list);
  return [row.alamat.trim(), rt === '' ? '' : words.rt(rt), row.rw === null ? '' : words.rw(areaNumber(row.rw))]
    .filter((part) => part !== '')
    .join(', ');
}

/**
 * The score as the meeting reads it on the grid, the projector and the
 * papers, "77,0 dari 100": the core writes the number (`score_number` in
 * ranking.rs), `word` the catalogue's "dari 100". `null` when not scored.
 */
export function scoreText(row: Pick<RankedUsulan, 'score'>, word: (score: string) => string): string | null {
  return row.score === null ? null : word(row.score);
}
