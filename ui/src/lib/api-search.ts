// The full-text search command of the shell (src-tauri/src/commands/search.rs).
import { call } from './api';

/** The best `limit` hits across notulen, usulan and attendees' names. */
export const search = (text: string, limit: number) => call('search', { text, limit });
