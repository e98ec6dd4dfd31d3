// What a form shows after the core refused it: each field's message beside
// that field, whatever names no field above the buttons, and the focus on the
// first refused control. Every form that sends what was typed uses one.
import { tick } from 'svelte';
import { toErrorReply } from './api';
import type { ErrorReply } from './bindings';
import { placeErrors } from './fieldErrors';
import { fieldErrorText } from './i18n/language.svelte';

export class FormRefusal {
  /** Field name → the core's error code, the first one of each field. */
  fields = $state<Record<string, string>>({});
  /** What no field shows: a refusal of the whole form, or a failure to load. */
  failure = $state<ErrorReply | null>(null);

  readonly #isField: (field: string) => boolean;

  /** `isField` answers whether the form has a control for a field the core names. */
  constructor(isField: (field: string) => boolean) {
    this.#isField = isField;
  }

  /** The translated message beside `field`, when the core refused it. */
  message(field: string): string | undefined {
    const code = this.fields[field];
    return code === undefined ? undefined : fieldErrorText(code);
  }

  /** Before sending again: nothing is refused. */
  clear(): void {
    this.fields = {};
    this.failure = null;
  }

  /**
   * Shows what the core answered (anything thrown by a command) and moves the
   * focus to the first refused control inside `form`; what was typed stays.
   */
  async show(error: unknown, form: HTMLElement | undefined): Promise<void> {
    const reply = toErrorReply(error);
    const placed = placeErrors(reply, this.#isField);
    this.fields = placed.fields;
    this.failure = placed.unplaced ? reply : null;
    await tick();
    form?.querySelector<HTMLElement>('[aria-invalid="true"], [data-invalid="true"]')?.focus();
  }
}
