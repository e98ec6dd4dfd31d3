import { describe, expect, it } from 'vitest';
import type { RecordingSettingsForm } from './bindings';
import { isRecordingField } from './settingsForm';

const form: RecordingSettingsForm = {
  rembug_warga_name: 'Rembuk RW',
  musrenbang_kelurahan_name: '',
  criteria: [
    { name: 'kemendesakan', weight: '30' },
    { name: 'dampak', weight: '20' },
  ],
  women_target_percent: '30',
  unsur: ['RT', 'PKK'],
  default_kota_code: '32.77',
  delegates_min: '3',
  delegates_max: '5',
  keep_original_photos: true,
  two_years_ahead_from_month: '7',
};

describe('isRecordingField', () => {
  it('knows the fields and rows the screen shows', () => {
    for (const field of ['women_target_percent', 'criteria', 'criteria.1.weight', 'criteria.0.name', 'unsur', 'unsur.1']) {
      expect(isRecordingField(form, field), field).toBe(true);
    }
  });

  it('refuses names of rows or fields it does not show', () => {
    for (const field of ['criteria.2.name', 'criteria.0.colour', 'unsur.2', 'unsur.0.name', 'language', 'women_target_percent.0']) {
      expect(isRecordingField(form, field), field).toBe(false);
    }
  });
});
