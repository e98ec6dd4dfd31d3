// Saving free text by itself while it is typed: a moment after the last
// keystroke, on blur, and before the screen is left. One save at a time; what
// was typed during a save is saved right after it. The text on screen is the
// user's own: a save never writes the stored value back into it.
import { toErrorReply } from './api';
import type { ErrorReply } from './bindings';

/**
 * The pause after the last keystroke before saving. Well under a second, so
 * text typed a second before the app is killed is already stored.
 */
export const AUTOSAVE_DELAY_MS = 400;

export type SaveState =
  /** Nothing typed since the text was opened. */
  | { kind: 'idle' }
  /** Typed and not yet stored: waiting for the pause, or being saved. */
  | { kind: 'saving' }
  | { kind: 'saved'; at: Date }
  /** The last save failed; the typed text is kept and saved again by `retry` or the next keystroke. */
  | { kind: 'failed'; error: ErrorReply };

/** Every saver holding text not yet stored: what closing the window waits for. */
const unsaved = new Set<{ flush(): Promise<void> }>();

/**
 * Saves everything typed anywhere and not yet stored; resolves once each
 * save was stored or refused (a refused one keeps its text on screen).
 */
export async function flushAll(): Promise<void> {
  await Promise.all([...unsaved].map((saver) => saver.flush()));
}

export interface AutosaveOptions {
  delayMs?: number;
  now?: () => Date;
}

export class Autosaver<T> {
  #waiting: { value: T } | null = null;
  #failed: { value: T } | null = null;
  #running: Promise<void> | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  readonly #delayMs: number;
  readonly #now: () => Date;

  constructor(
    private readonly save: (value: T) => Promise<unknown>,
    private readonly onState: (state: SaveState) => void,
    { delayMs = AUTOSAVE_DELAY_MS, now = () => new Date() }: AutosaveOptions = {},
  ) {
    this.#delayMs = delayMs;
    this.#now = now;
  }

  /** The whole current value, on every keystroke. */
  change(value: T): void {
    unsaved.add(this);
    this.#waiting = { value };
    this.#failed = null;
    this.onState({ kind: 'saving' });
    this.#clearTimer();
    this.#timer = setTimeout(() => void this.flush(), this.#delayMs);
  }

  /** Saves now whatever is waiting; resolves once everything typed so far was saved or refused. */
  flush(): Promise<void> {
    this.#clearTimer();
    this.#running ??= this.#drain().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  /** Tries the failed save again. */
  retry(): Promise<void> {
    if (this.#failed && !this.#waiting) {
      this.#waiting = this.#failed;
      this.#failed = null;
      this.onState({ kind: 'saving' });
    }
    return this.flush();
  }

  /** Forgets what is waiting (the text itself is being deleted). */
  cancel(): void {
    this.#clearTimer();
    this.#waiting = null;
    this.#failed = null;
    unsaved.delete(this);
  }

  async #drain(): Promise<void> {
    while (this.#waiting) {
      const { value } = this.#waiting;
      this.#waiting = null;
      try {
        await this.save(value);
        if (!this.#waiting) this.onState({ kind: 'saved', at: this.#now() });
      } catch (error) {
        if (!this.#waiting) {
          this.#failed = { value };
          this.onState({ kind: 'failed', error: toErrorReply(error) });
        }
      }
    }
    if (!this.#failed) unsaved.delete(this);
  }

  #clearTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
