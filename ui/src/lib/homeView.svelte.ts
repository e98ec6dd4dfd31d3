// What the home screen was showing (its filters and search text), kept while
// a meeting is open so that going back returns to the same list.
import { NO_FILTER, type FilterForm } from './meetingFilter';

export const homeView: { filter: FilterForm; query: string } = $state({ filter: { ...NO_FILTER }, query: '' });
