import type { Kelurahan } from './bindings';

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
