// What a change-log entry changed, field by field, from the JSON the core
// recorded before and after. The values are shown as the core stored them.

export interface FieldChange {
  key: string;
  before: string | null;
  after: string | null;
}

/** Keys that change with every save and tell the reader nothing. */
const NOISE = new Set(['updated_at', 'created_at', 'seq']);
const MAX_TEXT = 160;

function parse(json: string | null): unknown {
  if (json === null) return null;
  try {
    return JSON.parse(json);
  } catch {
    return null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as one short line: text as is, anything else as compact JSON. */
export function shortText(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}

/**
 * The fields that differ between before and after. A creation lists what was
 * set, a deletion what was removed; a value that is not an object (a count,
 * a list) is one change under the key `value`.
 */
export function changedFields(beforeJson: string | null, afterJson: string | null): FieldChange[] {
  const before = parse(beforeJson);
  const after = parse(afterJson);
  if (!isRecord(before) && !isRecord(after)) {
    const change = { key: 'value', before: shortText(before), after: shortText(after) };
    return change.before === change.after ? [] : [change];
  }
  const old = isRecord(before) ? before : {};
  const now = isRecord(after) ? after : {};
  const keys = [...new Set([...Object.keys(old), ...Object.keys(now)])].filter((key) => !NOISE.has(key));
  return keys
    .map((key) => ({ key, before: shortText(old[key]), after: shortText(now[key]) }))
    .filter((change) => change.before !== change.after);
}
