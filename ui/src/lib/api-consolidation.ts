// Kelurahan consolidation: the RW count, which RW results have arrived,
// starting the Musrenbang Kelurahan with their usulan merged, and usulan of
// different RWs that look alike.
import { call } from './api';
import type { MeetingForm } from './bindings';
import { areaNumber } from './wilayah';

export const setRwCount = (kelurahanCode: string, rwCount: string) =>
  call('set_rw_count', { kelurahanCode, rwCount });
export const consolidation = (kelurahanCode: string, planningYear: number) =>
  call('consolidation', { kelurahanCode, planningYear });
export const startKelurahanMeeting = (form: MeetingForm, kelurahanCode: string, planningYear: number) =>
  call('start_kelurahan_meeting', { form, kelurahanCode, planningYear });
export const similarUsulan = (meetingId: string) => call('similar_usulan', { meetingId });

/** "3, 7 dan 9": RW numbers as a sentence lists them. */
export function rwListText(rws: readonly number[], and: string): string {
  const numbers = rws.map(areaNumber);
  if (numbers.length <= 1) return numbers.join('');
  return `${numbers.slice(0, -1).join(', ')} ${and} ${numbers[numbers.length - 1]}`;
}
