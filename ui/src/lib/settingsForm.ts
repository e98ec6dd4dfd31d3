// The recording settings as the settings screen edits them: every value as
// typed text, sent as is to the core (crates/rembug-core/src/settings.rs).
import type { RecordingSettings, RecordingSettingsForm } from './bindings';

/** The form that would save `recording` unchanged: the screen starts here. */
export function recordingToForm(recording: RecordingSettings): RecordingSettingsForm {
  return {
    rembug_warga_name: recording.stage_names.rembug_warga ?? '',
    musrenbang_kelurahan_name: recording.stage_names.musrenbang_kelurahan ?? '',
    criteria: recording.criteria.map(({ name, weight }) => ({ name, weight: String(weight) })),
    women_target_percent: String(recording.women_target_percent),
    unsur: [...recording.unsur],
    default_kota_code: recording.default_kota_code,
    delegates_min: String(recording.delegates_min),
    delegates_max: String(recording.delegates_max),
    keep_original_photos: recording.keep_original_photos,
    two_years_ahead_from_month: String(recording.two_years_ahead_from_month),
  };
}

/**
 * Whether the core's field name (`women_target_percent`, `criteria.0.weight`,
 * `unsur.3`, or the whole list `criteria`) is shown by this form.
 */
export function isRecordingField(form: RecordingSettingsForm, field: string): boolean {
  const [head, index, part] = field.split('.');
  if (head === undefined || !Object.hasOwn(form, head)) return false;
  if (index === undefined) return true;
  if (head === 'criteria') return Number(index) < form.criteria.length && (part === 'name' || part === 'weight');
  return head === 'unsur' && part === undefined && Number(index) < form.unsur.length;
}
