// Practice ("Coba dengan data contoh"): the shell opens the practice data
// folder beside the real one, filled with demo data, in place of the real
// one (src-tauri/src/commands/app.rs), and sets the window's title. The
// window then reloads everything it shows from the other folder.
//
// Practice lasts until it is left or the app ends (the shell always starts
// on the real folder), so the window remembers it in sessionStorage, which
// lives exactly as long: it survives the reload, never a restart, and is
// read without asking the shell at start-up.
import { call } from './api';

/** The sessionStorage key that says the practice folder is open. */
export const PRACTICE_KEY = 'rembug.practising';

/** The part of `sessionStorage` practice uses (a plain object in the tests). */
export type SessionStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Whether the window shows the practice folder. */
export function isPractising(session: SessionStore = sessionStorage): boolean {
  return session.getItem(PRACTICE_KEY) === '1';
}

/**
 * Opens the practice folder (`practise: true`, the window titled
 * `title`) or the real one again, and reloads the window. Rejects with an
 * `ErrorReply`, and then nothing changed.
 */
export async function switchPractice(
  practise: boolean,
  title: string,
  session: SessionStore = sessionStorage,
  reload: () => void = () => window.location.reload(),
): Promise<void> {
  await call(practise ? 'start_practice' : 'stop_practice', { title });
  if (practise) session.setItem(PRACTICE_KEY, '1');
  else session.removeItem(PRACTICE_KEY);
  reload();
}
