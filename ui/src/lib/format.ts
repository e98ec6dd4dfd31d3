// Dates and times as people read them, from the catalogues' own day and month
// names: WebKitGTK's Intl data differs between distributions, so Intl is not
// used.
import type { Language, Timezone } from './bindings';
import { translate } from './i18n/translate';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2})$/;

/** Hours ahead of UTC; Indonesia keeps no daylight saving. */
const UTC_OFFSET_HOURS: Readonly<Record<Timezone, number>> = { WIB: 7, WITA: 8, WIT: 9 };

/**
 * `2023-11-08` → "Rabu, 8 November 2023" (id) or "Wednesday, 8 November 2023"
 * (en). Text that is not such a date is returned unchanged.
 */
export function formatDate(date: string, language: Language): string {
  const match = DATE.exec(date);
  if (!match) return date;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  // 2023-02-30 would roll over into March: not a date.
  if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return date;
  const weekday = calendar.getUTCDay();
  return translate(language, 'format.date', {
    weekday: translate(language, `date.weekday.${weekday}`),
    day,
    month: translate(language, `date.month.${month}`),
    year,
  });
}

/**
 * The laptop's local date as `2026-11-28`: late in the evening it is still
 * today here, whatever the date in UTC. The one thing about a new meeting's
 * form that only the UI knows.
 */
export function localIsoDate(now: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** `19:30` → "19.30 WIB" (id) or "19:30 WIB" (en). */
export function formatTime(time: string, timezone: Timezone, language: Language): string {
  const match = TIME.exec(time);
  if (!match) return `${time} ${timezone}`;
  const [hour, minute] = match.slice(1) as [string, string];
  return translate(language, 'format.time', { hour, minute, zone: timezone });
}

/**
 * A UTC instant (RFC 3339) shown in a wilayah's local time:
 * "Rabu, 8 November 2023 pukul 19.30 WIB". Text that is not an instant is
 * returned unchanged.
 */
export function formatInstant(utc: string, timezone: Timezone, language: Language): string {
  const millis = Date.parse(utc);
  if (Number.isNaN(millis)) return utc;
  // Shift by the zone's offset, then read the UTC fields as local ones.
  const local = new Date(millis + UTC_OFFSET_HOURS[timezone] * 3_600_000).toISOString();
  return translate(language, 'format.date_time', {
    date: formatDate(local.slice(0, 10), language),
    time: formatTime(local.slice(11, 16), timezone, language),
  });
}
