// Small helpers of the daftar hadir and delegates screens. The rules
// (who may check in, what a valid resident is, the women's target) live in
// the core; these only shape what the screens show and send.
import type { AgeGroup, DelegateWarning, Language, Meeting, PersonForm, Role } from './bindings';
import type { Params } from './i18n/translate';
import { areaNumber } from './wilayah';

export const ROLES: readonly Role[] = ['peserta', 'narasumber', 'fasilitator', 'notulis', 'pimpinan_rapat'];
export const AGE_GROUPS: readonly AgeGroup[] = ['anak', 'pemuda', 'dewasa', 'lansia'];
export const DELEGATE_WARNINGS: readonly DelegateWarning[] = ['no_woman_delegate', 'delegate_count_outside_range'];

/** The unsur a new resident starts with, when the city's list has it. */
const USUAL_UNSUR = 'Warga';

/**
 * The new-resident row: the name as typed so far, the meeting's RW and
 * kelurahan (most people come from there), the usual unsur if listed.
 */
export function newPersonForm(typed: string, meeting: Meeting, unsurList: readonly string[]): PersonForm {
  return {
    name: typed.trim(),
    gender: '',
    unsur: unsurList.find((unsur) => unsur.toLowerCase() === USUAL_UNSUR.toLowerCase()) ?? '',
    rt: '',
    rw: meeting.rw === null ? '' : String(meeting.rw),
    kelurahan_code: meeting.kelurahan.code,
    phone: '',
    disability: false,
    age_group: '',
  };
}

/**
 * Where someone lives, as the daftar hadir writes it: "RT 3/RW 5", or only
 * the part that is known, or "–".
 */
export function areaText(
  rt: number | null,
  rw: number | null,
  translate: (key: string, params: Params) => string,
): string {
  if (rt !== null && rw !== null) return translate('attendance.rt_rw', { rt: areaNumber(rt), rw: areaNumber(rw) });
  if (rt !== null) return translate('attendance.rt_only', { rt: areaNumber(rt) });
  if (rw !== null) return translate('attendance.rw_only', { rw: areaNumber(rw) });
  return '–';
}

/**
 * A share in basis points (3500 = 35 %) as people read it: "35%", "28,5%"
 * (a decimal comma in Indonesian). Cut, not rounded, to one decimal, so a
 * share just short of the target never reads as reaching it.
 */
export function shareText(basisPoints: number, language: Language): string {
  const tenths = Math.floor(basisPoints / 10);
  const whole = Math.floor(tenths / 10);
  const decimal = tenths % 10;
  const separator = language === 'id' ? ',' : '.';
  return decimal === 0 ? `${whole}%` : `${whole}${separator}${decimal}%`;
}

/**
 * The highlighted choice after ↑ (-1) or ↓ (+1) in a list of `count`
 * choices, wrapping around at both ends; -1 when the list is empty.
 */
export function moveHighlight(current: number, step: number, count: number): number {
  if (count <= 0) return -1;
  return (((current + step) % count) + count) % count;
}

/** `items` with the one at `index` moved by `step` places; unchanged at the ends. */
export function moveItem<T>(items: readonly T[], index: number, step: number): T[] {
  const target = index + step;
  const moved = [...items];
  if (index < 0 || index >= items.length || target < 0 || target >= items.length) return moved;
  const [item] = moved.splice(index, 1) as [T];
  moved.splice(target, 0, item);
  return moved;
}
