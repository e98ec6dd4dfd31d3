// The home screen's filters as typed, and the `MeetingFilter` the core
// answers to (crates/rembug-core/src/store/meetings.rs).
import type { MeetingFilter, MeetingStatus, Stage } from './bindings';

export interface FilterForm {
  kelurahan_code: string;
  rw: string;
  planning_year: string;
  stage: Stage | '';
  status: MeetingStatus | '';
}

export const NO_FILTER: Readonly<FilterForm> = { kelurahan_code: '', rw: '', planning_year: '', stage: '', status: '' };

export interface ParsedFilter {
  filter: MeetingFilter;
  /** Number fields holding something other than digits: left out of the filter. */
  invalid: ('rw' | 'planning_year')[];
}

const DIGITS = /^\d{1,4}$/;

/** Empty fields filter nothing; a number field filters only when it holds a number. */
export function toMeetingFilter(form: FilterForm): ParsedFilter {
  const filter: MeetingFilter = {};
  const invalid: ParsedFilter['invalid'] = [];
  if (form.kelurahan_code !== '') filter.kelurahan_code = form.kelurahan_code;
  if (form.stage !== '') filter.stage = form.stage;
  if (form.status !== '') filter.status = form.status;
  for (const field of ['rw', 'planning_year'] as const) {
    const typed = form[field].trim();
    if (typed === '') continue;
    if (DIGITS.test(typed)) filter[field] = Number(typed);
    else invalid.push(field);
  }
  return { filter, invalid };
}

export function isFiltering(form: FilterForm): boolean {
  return Object.values(form).some((value) => value.trim() !== '');
}
