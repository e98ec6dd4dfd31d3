// The values the meeting form starts from. The form sends what was typed, as
// typed; the core checks it (crates/rembug-core/src/meeting.rs).
import type { Meeting, MeetingForm, Stage } from './bindings';
import { dayFirstDate } from './format';

export const STAGES: readonly Stage[] = ['rembug_warga', 'musrenbang_kelurahan'];

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/**
 * A new meeting: a rembug warga today at 19:30. The planning year is left
 * blank: the core takes the one the date plans by the city's planning
 * calendar. Dates are written day first ("28/11/2026"), as Indonesians write them.
 */
export function newMeetingForm(now: Date): MeetingForm {
  const year = now.getFullYear();
  return {
    stage: 'rembug_warga',
    kelurahan_code: '',
    rw: '',
    planning_year: '',
    date: dayFirstDate(`${year}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`),
    start_time: '19:30',
    place: '',
    facilitator: '',
    notulis: '',
  };
}

/** The form that would save `meeting` unchanged: the edit form starts here, its date day first. */
export function meetingToForm(meeting: Meeting): MeetingForm {
  return {
    stage: meeting.stage,
    kelurahan_code: meeting.kelurahan.code,
    rw: meeting.rw === null ? '' : String(meeting.rw),
    planning_year: String(meeting.planning_year),
    date: dayFirstDate(meeting.date),
    start_time: meeting.start_time,
    place: meeting.place,
    facilitator: meeting.facilitator,
    notulis: meeting.notulis ?? '',
  };
}
