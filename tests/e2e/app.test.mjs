// End-to-end tests of the real Rembug desktop app: the debug build with the UI
// embedded, driven through tauri-driver and WebKitWebDriver. Run them with
// tests/e2e/run.sh (it provides the X display, the D-Bus session and the
// environment); see tests/e2e/README.md.
//
// Each test has its own fresh data folder. Quitting the app means deleting
// the WebDriver session, which closes the app's window; the harness then
// waits for the process to be gone before the next start.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { AppDriver, newDataDir, removeDataDir } from './harness.mjs';
import { waitFor } from './webdriver.mjs';

const MELONG = { code: '32.77.01.1001', name: 'Melong' };

/** What a cadre types for a typical rembug warga. */
const MEETING = {
  stage: 'rembug_warga',
  kelurahan_code: MELONG.code,
  rw: '5',
  planning_year: '2027',
  date: '2026-11-28',
  start_time: '19:30',
  place: 'Balai RW 05 Melong',
  facilitator: 'Siti Rahmawati',
  notulis: 'Dedi Kurniawan',
};

// A test takes a few seconds; this bounds one that hangs.
const TEST_TIMEOUT = 60_000;

/**
 * Runs `body` with a helper that starts app drivers on data folders, and
 * cleans everything up afterwards. On failure, every app still open is
 * photographed into artifacts/ as failure-<test>-<n>.png.
 */
function e2e(name, body) {
  test(name, { timeout: TEST_TIMEOUT }, async (t) => {
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
      async driver(dataDir, label = 'app') {
        const driver = await AppDriver.start({ dataDir, name: `${slug(name)}-${label}` });
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
          .screenshot(shot, { timeoutMs: 10_000 })
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

function slug(text) {
  return text.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
}

// --- how a cadre fills the meeting form ------------------------------------

const FORM = 'form[data-testid=meeting-form]';

async function control(app, name) {
  return app.find(`${FORM} [name=${name}]`);
}

/** Picks an option of `select` (a CSS selector) the way a user does: clicking it. */
async function choose(app, select, value) {
  // Options load asynchronously (the kelurahan list comes from the core).
  const option = await app.waitFor(`${select} option[value="${value}"]`, { displayed: false });
  await option.click();
  const element = await app.find(select);
  await waitFor(async () => (await element.property('value')) === value, { message: `${select} to be ${value}` });
}

/** Empties a text field and types `text` into it, key by key. */
async function type(app, name, text) {
  const input = await control(app, name);
  await input.clear();
  if (text !== '') await input.sendKeys(text);
  assert.equal(await input.property('value'), text, `the ${name} field holds what was typed`);
}

/**
 * Types a date into `<input type=date>`. WebKitGTK shows it as three
 * segments (month, day, year in the C/en-US locale; the order follows the
 * locale) and moves to the next segment on a separator key, so a user types
 * e.g. "11/28/2026". The segment order is read from the page's own locale.
 */
async function typeDate(app, isoDate) {
  const [year, month, day] = isoDate.split('-');
  const order = await app.script(`
    try {
      return new Intl.DateTimeFormat(undefined, { year: 'numeric', month: '2-digit', day: '2-digit' })
        .formatToParts(new Date(2026, 10, 28)).filter((p) => p.type !== 'literal').map((p) => p.type);
    } catch (e) { return ['month', 'day', 'year']; }`);
  const keys = order.map((part) => ({ year, month, day })[part]).join('/');
  const input = await control(app, 'date');
  await input.clear();
  await input.sendKeys(keys);
  assert.equal(await input.property('value'), isoDate, `typing "${keys}" (segments ${order}) into the date field`);
}

/** `<input type=time>`: WebKitGTK takes "19:30" typed as is. */
async function typeTime(app, time) {
  const input = await control(app, 'start_time');
  await input.clear();
  await input.sendKeys(time);
  assert.equal(await input.property('value'), time, 'the start time field holds what was typed');
}

async function fillMeetingForm(app, values) {
  await app.waitFor(FORM);
  await choose(app, `${FORM} select[name=stage]`, values.stage);
  await choose(app, `${FORM} select[name=kelurahan_code]`, values.kelurahan_code);
  await type(app, 'rw', values.rw);
  await type(app, 'planning_year', values.planning_year);
  await typeDate(app, values.date);
  await typeTime(app, values.start_time);
  await type(app, 'place', values.place);
  await type(app, 'facilitator', values.facilitator);
  await type(app, 'notulis', values.notulis);
}

/** From the home screen: a new meeting through the form, ending on its detail screen. */
async function createMeeting(app, values = MEETING) {
  await app.click('[data-testid=new-meeting]');
  await fillMeetingForm(app, values);
  await app.click('[data-testid=save-meeting]');
  await app.waitFor('[data-testid=meeting-detail]');
  await app.waitForText('[data-testid=detail-place]', values.place);
}

async function goHome(app) {
  await app.click('[data-testid=nav-home]');
  await waitFor(async () => (await app.findAll('[data-testid=meeting-list], [data-testid=empty-state]')).length > 0, {
    message: 'the home screen (meeting list or empty state)',
  });
}

// --- the tests ---------------------------------------------------------------

e2e('a meeting created through the form is still there after the app restarts', async (env) => {
  const dir = await env.dataDir();
  const driver = await env.driver(dir);

  let app = await driver.launch();
  await app.waitFor('[data-testid=empty-state]');
  await createMeeting(app);
  await app.waitForText('[data-testid=detail-kelurahan]', MELONG.name);
  await app.waitForText('[data-testid=detail-rw]', '5');
  await app.quit();

  app = await driver.launch();
  await app.waitFor('[data-testid=meeting-list]');
  const rows = await app.findAll('[data-testid=meeting-row]');
  assert.equal(rows.length, 1, 'one meeting is listed');
  const rowText = await rows[0].text();
  assert.match(rowText, /Melong/, 'the row names the kelurahan');
  assert.match(rowText, /RW 0*5\b/, 'the row names the RW');
  await app.screenshot('home-with-meeting');

  await rows[0].click();
  await app.waitFor('[data-testid=meeting-detail]');
  await app.waitForText('[data-testid=detail-place]', MEETING.place);
  await app.waitForText('[data-testid=detail-facilitator]', MEETING.facilitator);
  await app.waitForText('[data-testid=detail-date]', /28 November 2026/);
  await app.waitForText('[data-testid=detail-start_time]', /^19[.:]30 WIB$/);
  await app.quit();
});

e2e('an invalid meeting is refused with messages by the fields and nothing is saved', async (env) => {
  const driver = await env.driver(await env.dataDir());
  const app = await driver.launch();
  await app.waitFor('[data-testid=empty-state]');

  await app.click('[data-testid=new-meeting]');
  await fillMeetingForm(app, { ...MEETING, rw: '0', place: '' });
  await app.click('[data-testid=save-meeting]');

  const rwError = await app.waitFor('[data-testid=error-rw]');
  const placeError = await app.waitFor('[data-testid=error-place]');
  for (const [field, element] of [['rw', rwError], ['place', placeError]]) {
    const text = (await element.text()).trim();
    assert.ok(text.length > 0, `the ${field} error has a message`);
    // A translated sentence, not a code or a catalogue key.
    assert.doesNotMatch(text, /^error\.|_/, `the ${field} error is a sentence: ${JSON.stringify(text)}`);
    assert.equal(await (await control(app, field)).attribute('aria-invalid'), 'true', `${field} is marked invalid`);
  }
  assert.equal(await app.script('return document.documentElement.lang'), 'id', 'the messages are in Indonesian');
  // The form stays, with what was typed.
  assert.equal(await (await control(app, 'rw')).property('value'), '0');
  assert.equal(await (await control(app, 'facilitator')).property('value'), MEETING.facilitator);
  assert.equal((await app.findAll('[data-testid=meeting-detail]')).length, 0, 'no detail screen');
  await app.screenshot('form-with-errors');

  await goHome(app);
  await app.waitFor('[data-testid=empty-state]');
  assert.equal((await app.findAll('[data-testid=meeting-row]')).length, 0, 'no meeting was saved');
  await app.quit();
});

e2e('editing a meeting changes its place', async (env) => {
  const driver = await env.driver(await env.dataDir());
  const app = await driver.launch();
  await createMeeting(app);

  await app.click('[data-testid=edit-meeting]');
  await app.waitFor(FORM);
  assert.equal(await (await control(app, 'place')).property('value'), MEETING.place, 'the form starts from the meeting');
  await type(app, 'place', 'Masjid Al-Ikhlas, RT 02');
  await app.click('[data-testid=save-meeting]');
  await app.waitFor('[data-testid=meeting-detail]');
  await app.waitForText('[data-testid=detail-place]', 'Masjid Al-Ikhlas, RT 02');
  await app.waitForText('[data-testid=detail-facilitator]', MEETING.facilitator);

  await goHome(app);
  await app.waitFor('[data-testid=meeting-list]');
  assert.equal((await app.findAll('[data-testid=meeting-row]')).length, 1, 'the edit made no second meeting');
  await app.quit();
});

e2e('switching the language to English lasts across a restart', async (env) => {
  const driver = await env.driver(await env.dataDir());
  let app = await driver.launch();
  assert.equal(await app.script('return document.documentElement.lang'), 'id', 'Indonesian by default');
  const homeLabelId = (await (await app.find('[data-testid=nav-home]')).text()).trim();

  await app.click('[data-testid=nav-settings]');
  await choose(app, 'select[name=language]', 'en');
  await waitFor(async () => (await app.script('return document.documentElement.lang')) === 'en', {
    message: '<html lang="en">',
  });
  const homeLabelEn = await app.waitForText('[data-testid=nav-home]', /\S/);
  assert.notEqual(homeLabelEn, homeLabelId, 'the menu is translated');
  await app.quit();

  app = await driver.launch();
  await waitFor(async () => (await app.script('return document.documentElement.lang')) === 'en', {
    message: '<html lang="en"> after the restart',
  });
  await app.waitForText('[data-testid=nav-home]', homeLabelEn);
  await app.quit();
});

e2e('a second app on the same data folder shows the startup error and leaves the first working', async (env) => {
  const dir = await env.dataDir();
  const first = await (await env.driver(dir, 'first')).launch();

  // A second tauri-driver on its own ports, same REMBUG_DATA_DIR: a second app process.
  const second = await (await env.driver(dir, 'second')).launch({ expect: 'startup-error' });
  const message = (await (await second.find('[data-testid=startup-error]')).text()).trim();
  assert.ok(message.length > 0, 'the startup error says something');
  assert.match(message, /data_dir_in_use/, 'it names the problem code');
  assert.equal((await second.findAll('[data-testid=nav-home]')).length, 0, 'the second window offers no app');
  assert.equal((await second.findAll('[data-testid=new-meeting]')).length, 0);

  // The first window still owns the folder and saves into it.
  await createMeeting(first);
  await second.quit();
  await goHome(first);
  assert.equal((await first.findAll('[data-testid=meeting-row]')).length, 1);
  await first.quit();
});
