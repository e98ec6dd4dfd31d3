// The projector on a projector's screen (issue 11, part 7): F5 puts the
// window in full screen, one line per usulan, eight rows, PageDown pages,
// Escape gives the window back.
//
// Full screen is the window manager's to grant, and the main suite's X
// server has none, so run.sh runs this file on its own: a 1280×720 screen
// with openbox, which sets _NET_WM_STATE_FULLSCREEN as a desktop's window
// manager does. That property, read with xprop, is what this test checks.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

import { REPO_ROOT } from './harness.mjs';
import { KEY, choose, e2e, openTab } from './steps.mjs';
import { waitFor } from './webdriver.mjs';

const run = promisify(execFile);
const CLI = resolve(REPO_ROOT, process.env.REMBUG_CLI ?? 'target/debug/rembug');
const F5 = '\uE035';
const PAGE_UP = '\uE00E';
const PAGE_DOWN = '\uE00F';
const SCREEN = { width: 1280, height: 720 };

/** The X window ids of the windows titled "Rembug…" (xwininfo, from x11-utils). */
async function rembugWindows() {
  const { stdout } = await run('xwininfo', ['-root', '-tree']);
  return [...stdout.matchAll(/^\s*(0x[0-9a-f]+) "Rembug[^"]*"/gm)].map((match) => match[1]);
}

/** Whether the window manager holds a Rembug window in full screen. */
async function fullScreen() {
  for (const id of await rembugWindows()) {
    const { stdout } = await run('xprop', ['-id', id, '_NET_WM_STATE']);
    if (stdout.includes('_NET_WM_STATE_FULLSCREEN')) return true;
  }
  return false;
}

e2e(
  'projector: F5 fills a 1280×720 screen with eight one-line rows, PageDown pages, Escape leaves full screen',
  async (env) => {
    const dataDir = await env.dataDir();
    await run(CLI, ['--data-dir', dataDir, 'demo', '--scale', 'kelurahan']);
    const app = await (await env.driver(dataDir)).launch();
    assert.ok((await rembugWindows()).length > 0, 'the app window is on the display');

    await choose(app, '[data-testid=filter-status]', '');
    await choose(app, '[data-testid=filter-stage]', 'musrenbang_kelurahan');
    await app.click('[data-testid=meeting-row]');
    await app.waitFor('[role=tablist]');
    await openTab(app, 'ranking');
    assert.equal(await fullScreen(), false, 'the meeting is not in full screen');

    await app.session.sendKeysToActive(F5);
    await app.waitFor('[data-testid=projector]');
    await waitFor(fullScreen, { message: 'the window manager to put the window in full screen' });
    await waitFor(
      async () => {
        const [width, height] = await app.script('return [window.innerWidth, window.innerHeight]');
        return width === SCREEN.width && height === SCREEN.height;
      },
      { message: 'the page to fill the 1280×720 screen' },
    );
    const first = await app.waitForText('[data-testid=projector-page]', /^1–8 dari \d+/);
    const total = Number(first.match(/dari (\d+)/)[1]);
    assert.ok(total > 8, `the musrenbang kelurahan has more than a page of usulan (${total})`);
    const rows = await app.script(
      `return [...document.querySelectorAll('[data-testid=projector-row]')].map((row) => {
         const box = row.getBoundingClientRect();
         const cell = row.querySelector('td:nth-child(2)');
         const measure = row.querySelector('td:last-child');
         return {
           inside: box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight,
           oneLine: cell.getBoundingClientRect().height < 2 * parseFloat(getComputedStyle(cell).lineHeight),
           measureWhole: measure.scrollWidth <= measure.clientWidth && measure.getBoundingClientRect().right <= window.innerWidth,
         };
       });`,
    );
    assert.equal(rows.filter((row) => row.inside).length, 8, 'eight rows on the screen');
    assert.ok(
      rows.every((row) => row.oneLine),
      'every usulan is one line',
    );
    assert.ok(
      rows.every((row) => row.measureWhole),
      'every score is whole on the screen',
    );
    await app.screenshot('projector-fullscreen-1280x720');
    await app.session.sendKeysToActive(PAGE_DOWN);
    await app.waitForText('[data-testid=projector-page]', /^9–16 dari \d+/);
    await app.screenshot('projector-fullscreen-page-2');
    await app.session.sendKeysToActive(PAGE_UP);
    await app.waitForText('[data-testid=projector-page]', /^1–8 dari \d+/);

    await app.session.sendKeysToActive(KEY.escape);
    await app.waitForAbsent('[data-testid=projector]');
    await waitFor(async () => !(await fullScreen()), { message: 'the window to leave full screen' });
    await app.waitFor('[role=tablist]');
  },
  { timeout: 120_000 },
);
