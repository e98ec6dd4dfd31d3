import { describe, expect, it } from 'vitest';
import type { Meeting } from './bindings';
import { meetingToForm, newMeetingForm } from './meetingForm';

describe('newMeetingForm', () => {
  it('starts a rembug warga today, at 19:30, its planning year left to the core', () => {
    // Late in the evening: the local date, not the UTC one.
    expect(newMeetingForm(new Date(2026, 10, 7, 23, 45))).toEqual({
      stage: 'rembug_warga',
      kelurahan_code: '',
      rw: '',
      planning_year: '',
      date: '07/11/2026',
      start_time: '19:30',
      place: '',
      facilitator: '',
      notulis: '',
    });
  });
});

describe('meetingToForm', () => {
  const meeting: Meeting = {
    id: '0190f0aa-0000-7000-8000-000000000001',
    stage: 'rembug_warga',
    status: 'draft',
    kelurahan: {
      code: '32.77.01.1001',
      name: 'Melong',
      kecamatan_code: '32.77.01',
      kecamatan_name: 'Cimahi Selatan',
      kota_code: '32.77',
      kota_name: 'Kota Cimahi',
    },
    rw: 5,
    planning_year: 2027,
    date: '2026-11-28',
    start_time: '19:30',
    timezone: 'WIB',
    starts_at: '2026-11-28T12:30:00Z',
    place: 'Balai RW 05',
    facilitator: 'Siti Rahmawati',
    notulis: 'Dedi',
    created_at: '2026-11-20T01:00:00Z',
    updated_at: '2026-11-20T01:00:00Z',
    revision: 1,
    supersedes_id: null,
    revision_reason: null,
    locked_at: null,
    superseded_by: null,
  };

  it('gives the form that would save the meeting unchanged', () => {
    expect(meetingToForm(meeting)).toEqual({
      stage: 'rembug_warga',
      kelurahan_code: '32.77.01.1001',
      rw: '5',
      planning_year: '2027',
      date: '28/11/2026',
      start_time: '19:30',
      place: 'Balai RW 05',
      facilitator: 'Siti Rahmawati',
      notulis: 'Dedi',
    });
  });

  it('leaves absent values empty', () => {
    const kelurahanMeeting: Meeting = { ...meeting, stage: 'musrenbang_kelurahan', rw: null, notulis: null };
    expect(meetingToForm(kelurahanMeeting)).toMatchObject({ stage: 'musrenbang_kelurahan', rw: '', notulis: '' });
  });
});
