// The home screen's first meeting list, asked for at start beside the
// settings. The first screen then appears with its rows in one rendering
// pass; shown before the list came, it was laid out and painted empty, and
// again with its rows, which cost the web view a whole pass (docs/benchmarks.md,
// "The first screen in one pass").
import * as api from './api';
import type { MeetingFilter, MeetingList } from './bindings';

let waiting: Promise<MeetingList> | null = null;

/** Asks the core for the unfiltered meeting list now; the home screen takes the answer. */
export function askFirstList(): Promise<MeetingList> {
  waiting = api.listMeetings({});
  return waiting;
}

/**
 * The list asked for at start, once, when `filter` is the unfiltered list it
 * answers; else null (the home screen then asks itself).
 */
export function takeFirstList(filter: MeetingFilter): Promise<MeetingList> | null {
  const first = waiting;
  waiting = null;
  return first !== null && Object.keys(filter).length === 0 ? first : null;
}
