// Where a refusal of the core goes on a form: each field error next to its
// field, and whatever names no field of the form above the buttons.
import type { ErrorReply } from './bindings';
import { errorText, fieldErrorText } from './i18n/language.svelte';

export interface PlacedErrors {
  /** Field name → the core's error code; the first error of each field. */
  fields: Record<string, string>;
  /** The refusal also says something no field shows (or nothing per field). */
  unplaced: boolean;
}

export function placeErrors(reply: ErrorReply, isField: (field: string) => boolean): PlacedErrors {
  const fields: Record<string, string> = {};
  let unplaced = reply.fields.length === 0;
  for (const { field, code } of reply.fields) {
    if (isField(field)) fields[field] ??= code;
    else unplaced = true;
  }
  return { fields, unplaced };
}

/**
 * A refusal said in one sentence, where no form field shows it: the first
 * field's message when there is one (a delegate cannot leave the list, a
 * photo is unreadable), else the general message of its code.
 */
export function refusalText(reply: ErrorReply): string {
  const field = reply.fields[0];
  return field ? fieldErrorText(field.code) : errorText(reply.code);
}
