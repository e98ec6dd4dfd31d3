// A cadre's first hour (issue 11, parts 8, 10 and 7), driving the real app:
// practice with sample data in its own folder and back, the real folder
// untouched; the "Alur musyawarah" guide on F1; Esc in a field leaves the
// field, not the meeting; unsaved delegates ask before the tab is left or
// the window is closed;
// eight meetings on a 1366×768 home screen. The projector's full screen is
// in projector.wm.mjs. Screenshots land in artifacts/firsthour-*.png.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

import { REPO_ROOT } from './harness.mjs';
import { KEY, choose, e2e, openTab } from './steps.mjs';
import { waitFor } from './webdriver.mjs';

const CLI = resolve(REPO_ROOT, process.env.REMBUG_CLI ?? 'target/debug/rembug');
const TEST_TIMEOUT = 150_000;
const F1 = '\uE031';
/** The meeting page, whichever tab is open. */
const ON_MEETING = '[role=tablist]';

/** Every file under `dir` with its SHA-256, so a change to any of them shows. */
async function folderPrint(dir) {
  const print = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    print[path.slice(dir.length)] = createHash('sha256').update(await readFile(path)).digest('hex');
  }
  return print;
}

/** The titles of every window on the X display (xwininfo, from x11-utils). */
async function windowTitles() {
  const { stdout } = await promisify(execFile)('xwininfo', ['-root', '-tree']);
  return stdout;
}

/** How many elements matching `css` lie wholly inside the window, without scrolling. */
function visibleCount(app, css) {
  return app.script(
    `return [...document.querySelectorAll(arguments[0])].filter((e) => {
       const r = e.getBoundingClientRect();
       return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;
     }).length;`,
    [css],
  );
}

/** The tag of the focused element. */
function focusedTag(app) {
  return app.script('return document.activeElement ? document.activeElement.tagName : null;');
}

e2e(
  'first hour: practice opens sample data beside the real folder, marked Latihan, and leaves the real one untouched',
  async (env) => {
    const dataDir = await env.dataDir();
    const practiceDir = `${dataDir}-latihan`;
    try {
      const driver = await env.driver(dataDir);
      const app = await driver.launch();

      // The empty app says what to do first: a meeting, an RW bundle, or practice.
      await app.waitFor('[data-testid=empty-state]');
      for (const button of ['empty-new-meeting', 'empty-import', 'practice-start']) {
        await app.waitFor(`[data-testid=${button}]`);
      }
      assert.equal((await app.findAll('[data-testid=practice-band]')).length, 0, 'no band on the real data');
      await app.screenshot('firsthour-empty');

      await app.click('[data-testid=practice-start]');
      await app.waitFor('[data-testid=practice-band]', { timeout: 30_000 });
      await app.waitFor('[data-testid=meeting-row]');
      assert.match(await app.waitForText('[data-testid=practice-band] strong', /./), /latihan/i);
      assert.match(await windowTitles(), /Rembug — Latihan/, 'the window title says Latihan');
      assert.ok((await stat(join(practiceDir, 'rembug.sqlite3'))).isFile(), 'the practice folder is beside the real one');
      const rows = (await app.findAll('[data-testid=meeting-row]')).length;
      assert.ok(rows >= 8, `the practice folder holds sample meetings (${rows})`);
      await app.screenshot('firsthour-practice-home');
      const shown = await visibleCount(app, '[data-testid=meeting-row]');
      assert.ok(shown >= 8, `eight meetings without scrolling, under the band too (${shown})`);

      // Whatever is done while practising, the real folder does not change.
      const real = await folderPrint(dataDir);
      await app.click('[data-testid=meeting-row]');
      await app.waitFor(ON_MEETING);
      await app.waitFor('[data-testid=practice-band]');
      await app.click('[data-testid=nav-home]');
      await app.waitFor('[data-testid=meeting-row]');
      assert.deepEqual(await folderPrint(dataDir), real, 'the real data folder is untouched while practising');

      // One click back to the real data: still empty, no band, the plain title.
      await app.click('[data-testid=practice-leave]');
      await app.waitFor('[data-testid=empty-state]', { timeout: 30_000 });
      assert.equal((await app.findAll('[data-testid=practice-band]')).length, 0, 'the band is gone');
      assert.doesNotMatch(await windowTitles(), /Latihan/, 'the window title no longer says Latihan');

      // A restart always opens the real data.
      await app.quit();
      const again = await driver.launch();
      await again.waitFor('[data-testid=empty-state]');
      assert.equal((await again.findAll('[data-testid=practice-band]')).length, 0);
    } finally {
      await rm(practiceDir, { recursive: true, force: true });
    }
  },
  { timeout: TEST_TIMEOUT },
);

e2e(
  'first hour: eight meetings at 1366×768, the F1 guide, Esc in a field stays on the meeting, delegates ask first',
  async (env) => {
    const dataDir = await env.dataDir();
    // A kelurahan's laptop in its second year: 33 meetings.
    await promisify(execFile)(CLI, ['--data-dir', dataDir, 'demo', '--scale', 'kelurahan']);
    const app = await (await env.driver(dataDir)).launch();

    // --- The home list at 1366×768 -----------------------------------------
    await app.waitFor('[data-testid=meeting-row]');
    const shown = await visibleCount(app, '[data-testid=meeting-row]');
    await app.screenshot('firsthour-home-1366x768');
    assert.ok(shown >= 8, `at least eight meetings without scrolling at 1366×768 (${shown})`);
    // The narrowest window the app allows still needs no sideways scrolling.
    await app.session.setWindowRect({ width: 1024, height: 768 });
    await waitFor(async () => (await app.script('return window.innerWidth')) === 1024, { message: 'a 1024-px window' });
    const overflow = await app.script('return document.documentElement.scrollWidth - window.innerWidth');
    await app.screenshot('firsthour-home-1024');
    assert.ok(overflow <= 0, `nothing sticks out sideways at 1024 px (${overflow} px)`);
    await app.session.setWindowRect({ width: 1366, height: 768 });

    // --- F1 opens the guide anywhere; Esc closes only it -------------------
    await app.session.sendKeysToActive(F1);
    await app.waitFor('[data-testid=guide]');
    await app.screenshot('firsthour-guide');
    await app.session.sendKeysToActive(KEY.escape);
    await app.waitForAbsent('[data-testid=guide]');

    // A draft rembug warga of this year.
    await choose(app, '[data-testid=filter-status]', 'draft');
    await app.click('[data-testid=meeting-row]');
    await app.waitFor(ON_MEETING);
    await app.screenshot('firsthour-meeting-1366x768');
    const panelShare = await app.script(
      `const panel = document.querySelector('[role=tabpanel]');
       return (window.innerHeight - panel.getBoundingClientRect().top) / window.innerHeight;`,
    );
    assert.ok(panelShare > 0.6, `the tab's content keeps most of the height (${Math.round(panelShare * 100)}%)`);

    await app.session.sendKeysToActive(F1);
    await app.waitFor('[data-testid=guide]');
    await app.session.sendKeysToActive(KEY.escape);
    await app.waitForAbsent('[data-testid=guide]');
    await app.waitFor(ON_MEETING);

    // --- Esc in the notulen editor and in a score cell leaves the field ----
    await openTab(app, 'notulen');
    const notes = await app.waitFor('[role=tabpanel] textarea');
    await notes.click();
    assert.equal(await focusedTag(app), 'TEXTAREA');
    await app.session.sendKeysToActive(KEY.escape);
    await waitFor(async () => (await focusedTag(app)) !== 'TEXTAREA', { message: 'the notulen field to be left' });
    assert.equal((await app.findAll(ON_MEETING)).length, 1, 'still on the meeting');

    await openTab(app, 'ranking');
    await app.click('[data-testid=score-cell]');
    assert.equal(await focusedTag(app), 'INPUT');
    await app.session.sendKeysToActive(KEY.escape);
    await waitFor(async () => (await focusedTag(app)) !== 'INPUT', { message: 'the score cell to be left' });
    assert.equal((await app.findAll(ON_MEETING)).length, 1, 'still on the meeting');

    // --- Unsaved delegates ask before the tab is left ----------------------
    await openTab(app, 'delegates');
    await app.click('[data-testid=delegate-add]');
    await app.click('[data-testid=tab-notulen]');
    await app.waitFor('[data-testid=delegates-leave]');
    assert.equal(await (await app.find('[data-testid=tab-delegates]')).attribute('aria-selected'), 'true');
    await app.screenshot('firsthour-delegates-leave');
    await app.click('[data-testid=delegates-leave-stay]');
    await app.waitForAbsent('[data-testid=delegates-leave]');
    // Closing the window asks the same question and keeps the window past
    // the shell's three-second grace until it is answered.
    app.askToClose();
    await app.waitFor('[data-testid=delegates-leave]');
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    assert.equal((await app.findAll('[data-testid=delegates-leave]')).length, 1, 'the window stays open while asked');
    await app.click('[data-testid=delegates-leave-stay]');
    await app.waitForAbsent('[data-testid=delegates-leave]');
    await app.click('[data-testid=nav-home]');
    await app.waitFor('[data-testid=delegates-leave]');
    await app.click('[data-testid=delegates-leave-discard]');
    await app.waitFor('[data-testid=meeting-row]');
  },
  { timeout: TEST_TIMEOUT },
);
