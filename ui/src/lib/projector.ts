// The projector's pages: a fixed number of usulan per page, so every row is
// one line a hall can read at 1280×720, paged with PageDown and PageUp (the
// keys a presenter's clicker sends).

/** Usulan on one projected page: eight one-line rows fit 1280×720. */
export const PROJECTOR_PAGE_SIZE = 8;

/** One page of `total` rows: rows `first`..`last` (1-based, inclusive) of page `page` (0-based) of `pages`. */
export interface ProjectorPage {
  page: number;
  pages: number;
  first: number;
  last: number;
  total: number;
}

/** Page `page` of `total` rows, clamped to the pages there are (a row removed while projecting). */
export function projectorPage(total: number, page: number, size = PROJECTOR_PAGE_SIZE): ProjectorPage {
  const pages = Math.max(1, Math.ceil(total / size));
  const clamped = Math.min(Math.max(0, page), pages - 1);
  const first = total === 0 ? 0 : clamped * size + 1;
  return { page: clamped, pages, first, last: Math.min(total, (clamped + 1) * size), total };
}

/** The page a key leads to from `page`, or null when the key does not page. */
export function pageAfterKey(key: string, page: number, pages: number): number | null {
  switch (key) {
    case 'PageDown':
      return Math.min(page + 1, pages - 1);
    case 'PageUp':
      return Math.max(page - 1, 0);
    case 'Home':
      return 0;
    case 'End':
      return pages - 1;
    default:
      return null;
  }
}
