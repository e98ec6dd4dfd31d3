// The one date fact only the window knows. Dates and times shown on screen are
// written by the core (`tanggal.rs`) and carried in the views as `DateText`.

/**
 * The laptop's local date as `2026-11-28`: late in the evening it is still
 * today here, whatever the date in UTC. The one thing about a new meeting's
 * form that only the UI knows.
 */
export function localIsoDate(now: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
