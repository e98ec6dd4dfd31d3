// Closing the window without losing a keystroke. The shell does not close
// the window at once when the cadre presses ✕ (or Alt+F4, or the session
// ends): it calls this hook, which saves whatever autosave still holds and
// then tells the shell to close. The shell closes anyway after a short grace
// if no answer comes (src-tauri/src/closing.rs). A screen holding unsaved
// work (the delegates tab) asks the cadre first, as when leaving it: the
// shell is told to keep the window open, and it closes once they agree.
import { call } from './api';
import { flushAll } from './autosave';
import { leaveThen } from './leaveGuard';

declare global {
  interface Window {
    /** Called by the shell when the window is asked to close. */
    __rembugBeforeClose?: () => Promise<void>;
  }
}

export function installCloseHandler(): void {
  window.__rembugBeforeClose = beforeClose;
}

/** Saves what autosave holds, then closes, or asks first about unsaved work. */
export async function beforeClose(): Promise<void> {
  try {
    await flushAll();
  } finally {
    let held = true;
    leaveThen(() => {
      held = false;
      void call('close_ready');
    });
    if (held) await call('close_held');
  }
}
