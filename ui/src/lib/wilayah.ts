import { AREA_NUMBER_DIGITS, type Kelurahan } from './bindings';

/**
 * An RT or RW number as the screens and the papers write it: 8 → "08", as
 * the core's `text::area_number_text`; blank for none.
 */
export function areaNumber(number: number | null): string {
  return number === null ? '' : String(number).padStart(AREA_NUMBER_DIGITS, '0');
}

export interface KecamatanGroup {
  code: string;
  name: string;
  kelurahan: Kelurahan[];
}

/**
 * Kelurahan grouped by kecamatan, keeping the order they came in
 * (`list_kelurahan` sorts by kecamatan, then name).
 */
export function groupByKecamatan(list: readonly Kelurahan[]): KecamatanGroup[] {
  const groups = new Map<string, KecamatanGroup>();
  for (const kelurahan of list) {
    let group = groups.get(kelurahan.kecamatan_code);
    if (!group) {
      group = { code: kelurahan.kecamatan_code, name: kelurahan.kecamatan_name, kelurahan: [] };
      groups.set(group.code, group);
    }
    group.kelurahan.push(kelurahan);
  }
  return [...groups.values()];
}
