import { describe, expect, it } from 'vitest';
import type { Kelurahan } from './bindings';
import { areaNumber, groupByKecamatan } from './wilayah';

function kelurahan(code: string, name: string, kecamatanCode: string, kecamatanName: string): Kelurahan {
  return {
    code,
    name,
    kecamatan_code: kecamatanCode,
    kecamatan_name: kecamatanName,
    kota_code: '32.77',
    kota_name: 'Kota Cimahi',
  };
}

describe('groupByKecamatan', () => {
  it('groups in the order the list came in', () => {
    const list = [
      kelurahan('32.77.01.1002', 'Cibeureum', '32.77.01', 'Cimahi Selatan'),
      kelurahan('32.77.01.1001', 'Melong', '32.77.01', 'Cimahi Selatan'),
      kelurahan('32.77.02.1001', 'Cimahi', '32.77.02', 'Cimahi Tengah'),
    ];
    const groups = groupByKecamatan(list);
    expect(groups.map((group) => [group.name, group.kelurahan.map((k) => k.name)])).toEqual([
      ['Cimahi Selatan', ['Cibeureum', 'Melong']],
      ['Cimahi Tengah', ['Cimahi']],
    ]);
  });

  it('is empty for an empty list', () => {
    expect(groupByKecamatan([])).toEqual([]);
  });
});

describe('areaNumber', () => {
  it('writes an RT or RW number with two digits, as the papers print it', () => {
    expect(areaNumber(8)).toBe('08');
    expect(areaNumber(12)).toBe('12');
    expect(areaNumber(112)).toBe('112');
    expect(areaNumber(null)).toBe('');
  });
});
