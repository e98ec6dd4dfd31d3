import { describe, expect, it } from 'vitest';
import { isFiltering, NO_FILTER, toMeetingFilter } from './meetingFilter';

describe('toMeetingFilter', () => {
  it('filters nothing when nothing is chosen', () => {
    expect(toMeetingFilter(NO_FILTER)).toEqual({ filter: {}, invalid: [] });
    expect(isFiltering(NO_FILTER)).toBe(false);
  });

  it('sends what was chosen, numbers as numbers', () => {
    const form = { kelurahan_code: '32.77.01.1001', rw: ' 05 ', planning_year: '2027', stage: 'rembug_warga', status: 'locked' } as const;
    expect(toMeetingFilter(form)).toEqual({
      filter: { kelurahan_code: '32.77.01.1001', rw: 5, planning_year: 2027, stage: 'rembug_warga', status: 'locked' },
      invalid: [],
    });
    expect(isFiltering(form)).toBe(true);
  });

  it('leaves out number fields that hold no number, and names them', () => {
    expect(toMeetingFilter({ ...NO_FILTER, rw: 'lima', planning_year: '20277' })).toEqual({
      filter: {},
      invalid: ['rw', 'planning_year'],
    });
  });
});
