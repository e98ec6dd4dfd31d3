// Closing the window without losing a keystroke. The shell does not close
// the window at once when the cadre presses ✕ (or Alt+F4, or the session
// ends): it calls this hook, which saves whatever autosave still holds and
// then tells the shell to close. The shell closes anyway after a short grace
// if no answer comes (src-tauri/src/closing.rs).
import { call } from './api';
import { flushAll } from './autosave';

declare global {
  interface Window {
    /** Called by the shell when the window is asked to close. */
    __rembugBeforeClose?: () => Promise<void>;
  }
}

export function installCloseHandler(): void {
  window.__rembugBeforeClose = async () => {
    try {
      await flushAll();
    } finally {
      await call('close_ready');
    }
  };
}
