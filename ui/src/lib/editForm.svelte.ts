// The one way a settings panel edits what the core keeps: load the form,
// send it as typed, show the core's refusals beside their fields (or above
// the buttons), and show the form the core kept once saved.
import { toErrorReply } from './api';
import { FormRefusal } from './formRefusal.svelte';

export interface EditFormIo<F> {
  /** The form as the core keeps it now. */
  load: () => Promise<F>;
  /** Sends the typed form; answers the form as the core kept it. */
  save: (form: F) => Promise<F>;
  /** Whether the form has a control for a field the core names. */
  isField: (form: F, field: string) => boolean;
}

export class EditForm<F> {
  form = $state<F | null>(null);
  saving = $state(false);
  /** Saved, and nothing changed since. */
  saved = $state(false);
  /** The `<form>` element, where the first refused control is focused. */
  element = $state<HTMLFormElement>();
  readonly refusal: FormRefusal;
  readonly #io: EditFormIo<F>;

  constructor(io: EditFormIo<F>) {
    this.#io = io;
    this.refusal = new FormRefusal((field) => this.form !== null && io.isField(this.form, field));
  }

  /** Loads the form; a failure shows above the panel. */
  async load(): Promise<void> {
    try {
      this.form = await this.#io.load();
    } catch (error) {
      this.refusal.failure = toErrorReply(error);
    }
  }

  /** The form's `onsubmit`: sends once at a time, what was typed stays when refused. */
  submit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    if (this.form === null || this.saving) return;
    this.saving = true;
    this.saved = false;
    this.refusal.clear();
    try {
      this.form = await this.#io.save($state.snapshot(this.form) as F);
      this.saved = true;
    } catch (error) {
      await this.refusal.show(error, this.element);
    } finally {
      this.saving = false;
    }
  };
}
