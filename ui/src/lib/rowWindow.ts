// The home list renders its rows a page at a time: the first screen needs a
// dozen of the 200 newest meetings, and every rendered row costs the web
// process memory and start-up time. More rows appear as the list is
// scrolled (or tabbed) towards its end; rows once shown stay, so the order
// of the rows, Tab and the focus behave as in a list rendered whole.

/** Rows rendered at first: more than a 1366×768 screen shows. */
export const FIRST_ROWS = 30;
/** Rows added each time the end of the rendered rows comes near the screen. */
export const MORE_ROWS = 30;

/**
 * How many of `total` rows to render: the `wanted` so far, and at least up
 * to the row at index `keep` (the row that takes the focus back; -1 for none).
 */
export function renderedRows(total: number, wanted: number, keep: number): number {
  return Math.min(total, Math.max(wanted, keep + 1));
}

/**
 * Svelte action: calls `onNear` once, when the element comes within one
 * window height below the visible part of the page (or into it).
 */
export function nearScreen(node: HTMLElement, onNear: () => void): { destroy: () => void } {
  const observer = new IntersectionObserver(
    (entries) => {
      if (entries.some((entry) => entry.isIntersecting)) {
        observer.disconnect();
        onNear();
      }
    },
    { rootMargin: '0px 0px 100% 0px' },
  );
  observer.observe(node);
  return { destroy: () => observer.disconnect() };
}
