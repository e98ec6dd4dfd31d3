// The recording settings as the settings screen edits them: every value as
// typed text, given by the core (`recording_settings_form`) and sent back as
// is (crates/rembug-core/src/settings.rs).
import type { RecordingSettingsForm } from './bindings';

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
