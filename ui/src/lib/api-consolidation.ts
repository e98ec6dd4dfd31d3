// Kelurahan consolidation: the RW count, which RW results have arrived,
// starting the Musrenbang Kelurahan with their usulan merged, and usulan of
// different RWs that look alike.
import { call } from './api';
import type { MeetingForm } from './bindings';

export const setRwCount = (kelurahanCode: string, rwCount: string) =>
  call('set_rw_count', { kelurahanCode, rwCount });
export const consolidation = (kelurahanCode: string, planningYear: number) =>
  call('consolidation', { kelurahanCode, planningYear });
export const startKelurahanMeeting = (form: MeetingForm, kelurahanCode: string, planningYear: number) =>
  call('start_kelurahan_meeting', { form, kelurahanCode, planningYear });
export const similarUsulan = (meetingId: string) => call('similar_usulan', { meetingId });

/** "3, 7 dan 9": RW numbers as a sentence lists them. */
export function rwListText(rws: readonly number[], and: string): string {
  if (rws.length <= 1) return rws.join('');
  return `${rws.slice(0, -1).join(', ')} ${and} ${rws[rws.length - 1]}`;
}
