// What every end-to-end test file does the same way: the test wrapper (fresh
// data folders, cleanup, a screenshot of each open window on failure) and the
// steps a cadre takes on every screen (create a meeting, open a tab, pick an
// option). Each test file keeps only the steps of its own area.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { AppDriver, newDataDir, removeDataDir } from './harness.mjs';
import { waitFor } from './webdriver.mjs';

/** W3C WebDriver key codes. */
export const KEY = {
  tab: '\uE004',
  enter: '\uE007',
  control: '\uE009',
  escape: '\uE00C',
  backspace: '\uE003',
  arrowLeft: '\uE012',
  arrowRight: '\uE014',
  arrowDown: '\uE015',
  f5: '\uE035',
};

export const MELONG = { code: '32.77.01.1001', name: 'Melong' };

/** What a cadre types for a typical rembug warga: every field of the form. */
export const MEETING = {
  stage: 'rembug_warga',
  kelurahan_code: MELONG.code,
  rw: '5',
  planning_year: '2027',
  date: '28/11/2026',
  start_time: '19:30',
  place: 'Balai RW 05 Melong',
  facilitator: 'Siti Rahmawati',
  notulis: 'Dedi Kurniawan',
};

function slug(text) {
  return text.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
}

/**
 * One test: `body(env, t)`, where `env.dataDir()` makes a fresh data folder
 * and `env.driver(dataDir, label)` starts an app driver on it. Everything is
 * cleaned up afterwards; on failure every app still open is photographed into
 * artifacts/ as failure-<test>-<n>.png.
 */
export function e2e(name, body, { timeout = 60_000 } = {}) {
  test(name, { timeout }, async (t) => {
    const drivers = [];
    const folders = [];
    const env = {
      /** The apps started in this test and still open. */
      get apps() {
        return drivers.flatMap((driver) => [...driver.apps]);
      },
      async dataDir() {
        const dir = await newDataDir();
        folders.push(dir);
        return dir;
      },
      async driver(dataDir, label = 'app', appEnv = {}) {
        const driver = await AppDriver.start({ dataDir, name: `${slug(name)}-${label}`, env: appEnv });
        drivers.push(driver);
        return driver;
      },
    };
    try {
      await body(env, t);
    } catch (error) {
      let n = 0;
      for (const app of env.apps) {
        const shot = `failure-${slug(name)}-${++n}`;
        await app
          .screenshot(shot, { timeoutMs: 10_000, settle: false })
          .then((path) => path && t.diagnostic(`screenshot of the failure: ${path}`))
          .catch((shotError) => t.diagnostic(`no failure screenshot: ${shotError.message}`));
      }
      throw error;
    } finally {
      for (const driver of drivers) await driver.stop();
      for (const dir of folders) await removeDataDir(dir);
    }
  });
}

/** Picks an option of `select` (a CSS selector) the way a user does: clicking it. */
export async function choose(app, select, value) {
  // Options may load asynchronously (the kelurahan list comes from the core).
  const option = await app.waitFor(`${select} option[value="${value}"]`, { displayed: false });
  await option.click();
  const element = await app.find(select);
  await waitFor(async () => (await element.property('value')) === value, { message: `${select} to be ${value}` });
}

/** Empties the field `css` and types `text` into it, key by key. */
export async function retype(app, css, text) {
  const input = await app.find(css);
  await input.clear();
  if (text !== '') await input.sendKeys(text);
  assert.equal(await input.property('value'), text, `${css} holds what was typed`);
}

/** A 96×64 PNG (a chequered wall above a grey road), small enough to inline. */
export const PHOTO_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAGAAAABACAIAAABqVuVZAAAAjklEQVR42u3ZIQ7AIBBFQXxvuIZUc2sO0KQ3wFZ1MYiWSZ7ehHE/lKOdaf2+0v56pwACBAgQIECAAAECBAjQAqCdHz9zBxAgQIAAAQIECBAgQIBWABmr1jwgQIAAAQIECBAgQID8i1nzgAABAvQAiqh6CRAgQIAAAQIECJAAAQIECBAgQIAECBAgQIC+0QBsoeZ9vg2sWwAAAABJRU5ErkJggg==',
  'base64',
);

export const MEETING_FORM = 'form[data-testid=meeting-form]';

/**
 * Fills the meeting form with `values` (any of MEETING's fields), as a user
 * does: selects by clicking an option, every other field typed, the date day
 * first ("28/11/2026") and the time as "19:30". Fields not given keep what the
 * form started with.
 */
export async function fillMeetingForm(app, values) {
  await app.waitFor(MEETING_FORM);
  for (const [name, value] of Object.entries(values)) {
    if (name === 'stage' || name === 'kelurahan_code') await choose(app, `${MEETING_FORM} select[name=${name}]`, value);
    else await retype(app, `${MEETING_FORM} [name=${name}]`, value);
  }
}

/** From any screen: a new meeting through the form, ending on its page. */
export async function createMeeting(app, values = MEETING) {
  await goHome(app);
  await app.click('[data-testid=new-meeting]');
  await fillMeetingForm(app, values);
  await app.click('[data-testid=save-meeting]');
  await app.waitFor('[data-testid=meeting-detail]');
  await app.waitForText('[data-testid=detail-place]', values.place);
}

export async function goHome(app) {
  await app.click('[data-testid=nav-home]');
  await waitFor(async () => (await app.findAll('[data-testid=meeting-list], [data-testid=empty-state]')).length > 0, {
    message: 'the home screen (meeting list or empty state)',
  });
}

/** Opens a tab of the meeting page and waits until it is the selected one. */
export async function openTab(app, key) {
  await app.click(`[data-testid=tab-${key}]`);
  await waitFor(async () => (await (await app.find(`[data-testid=tab-${key}]`)).attribute('aria-selected')) === 'true', {
    message: `the ${key} tab to be selected`,
  });
}

/**
 * Presses Escape in an open editor or dialog (`css`): it closes, and only it.
 * The meeting page stays, on the `tab` it was on.
 */
export async function escapeCloses(app, css, tab) {
  await app.session.sendKeysToActive(KEY.escape);
  await app.waitForAbsent(css);
  const selected = await (await app.find(`[data-testid=tab-${tab}]`)).attribute('aria-selected');
  assert.equal(selected, 'true', `Escape closed ${css} only: the ${tab} tab is still open`);
}

/** The trimmed texts of every element matching `css`. */
export async function textsOf(app, css) {
  return Promise.all((await app.findAll(css)).map(async (element) => (await element.text()).trim()));
}
