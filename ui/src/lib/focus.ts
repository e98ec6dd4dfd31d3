/**
 * Svelte action: moves keyboard focus to the element when it appears (and
 * `when` is true), so each screen starts where a keyboard user needs it.
 */
export function focusOnMount(node: HTMLElement, when = true): void {
  if (when) node.focus();
}
