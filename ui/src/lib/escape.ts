/**
 * A keydown handler for a form inside the meeting page: Esc closes the form
 * (`close`), and only the form: marking the event handled keeps the app from
 * also leaving the meeting page (App.svelte).
 */
export function escapeCloses(close: () => void, when: () => boolean = () => true): (event: KeyboardEvent) => void {
  return (event) => {
    if (event.key !== 'Escape' || event.defaultPrevented || !when()) return;
    event.preventDefault();
    close();
  };
}
