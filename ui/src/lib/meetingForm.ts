// The meeting form's choices. The form itself comes from the core (a new
// meeting's defaults, or a meeting as it would be saved unchanged: the
// `new_meeting_form` and `meeting_form` commands), and it sends what was
// typed, as typed; the core checks it (crates/rembug-core/src/meeting.rs).
import type { Stage } from './bindings';

export const STAGES: readonly Stage[] = ['rembug_warga', 'musrenbang_kelurahan'];
