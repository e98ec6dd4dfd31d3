import { describe, expect, it } from 'vitest';
import { changeActionText, errorText, fieldErrorText, translate } from './translate';

describe('translate', () => {
  it('looks the key up in the chosen language', () => {
    expect(translate('id', 'common.save')).toBe('Simpan');
    expect(translate('en', 'common.save')).toBe('Save');
  });

  it('fills in the {placeholders} it is given and leaves the others', () => {
    expect(translate('id', 'meeting.area_rw', { kelurahan: 'Melong', rw: 5 })).toBe('Melong, RW 5');
    expect(translate('id', 'meeting.area_rw', { kelurahan: 'Melong' })).toBe('Melong, RW {rw}');
  });

  it('shows a missing key as itself', () => {
    expect(translate('en', 'no.such.key')).toBe('no.such.key');
  });
});

describe('error and change texts', () => {
  it('translate known codes', () => {
    expect(errorText('id', 'meeting_locked')).toBe('Musyawarah ini sudah terkunci, jadi tidak bisa diubah lagi.');
    expect(fieldErrorText('id', 'required')).toBe('Wajib diisi.');
    expect(fieldErrorText('en', 'rw_out_of_range')).toBe('The RW number must be between 1 and 999.');
    expect(changeActionText('id', 'created')).toBe('Dibuat');
    expect(changeActionText('id', 'updated')).toBe('Diubah');
  });

  it('fall back to a general text for codes a newer core may send', () => {
    expect(errorText('en', 'disk_on_fire')).toBe(translate('en', 'error.unexpected'));
    expect(fieldErrorText('id', 'too_purple')).toBe(translate('id', 'error.field.invalid'));
    expect(changeActionText('id', 'locked_by_alien')).toBe(translate('id', 'change.other'));
  });
});
