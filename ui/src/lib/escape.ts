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

/** Input types the cadre types into (a checkbox or a button is not one). */
const TYPED_INPUTS = new Set(['text', 'search', 'number', 'tel', 'email', 'url', 'password', 'date', 'time']);

/** The part of an element `leaveField` reads. */
export interface FieldLike {
  tagName: string;
  type?: string;
  isContentEditable?: boolean;
  blur: () => void;
}

function isTypedField(target: unknown): target is FieldLike {
  if (typeof target !== 'object' || target === null || !('tagName' in target) || !('blur' in target)) return false;
  const element = target as FieldLike;
  if (element.isContentEditable) return true;
  switch (element.tagName) {
    case 'TEXTAREA':
    case 'SELECT':
      return true;
    case 'INPUT':
      return TYPED_INPUTS.has(element.type ?? 'text');
    default:
      return false;
  }
}

/**
 * Esc inside a text field, the notulen editor or a score cell leaves the
 * field (blurs it) and nothing more: the app does not also leave the
 * meeting page. Answers whether it did. A field or form that gives Esc a
 * meaning of its own (emptying a search, closing an editor) marks the
 * event handled first, and this leaves it alone.
 */
export function leaveField(event: Pick<KeyboardEvent, 'key' | 'defaultPrevented' | 'target' | 'preventDefault'>): boolean {
  if (event.key !== 'Escape' || event.defaultPrevented || !isTypedField(event.target)) return false;
  event.preventDefault();
  event.target.blur();
  return true;
}
