// End-to-end tests of the real Rembug desktop app: the debug build with the UI
// embedded, driven through tauri-driver and WebKitWebDriver. Run them with
// tests/e2e/run.sh (it provides the X display, the D-Bus session and the
// environment); see tests/e2e/README.md.
//
// Each test has its own fresh data folder. Quitting the app means deleting
// the WebDriver session, which closes the app's window; the harness then
// waits for the process to be gone before the next start.

import assert from 'node:assert/strict';

import { KEY, MEETING, MEETING_FORM, MELONG, choose, createMeeting, e2e, fillMeetingForm, goHome, retype } from './steps.mjs';
import { waitFor } from './webdriver.mjs';

function control(app, name) {
  return app.find(`${MEETING_FORM} [name=${name}]`);
}

// --- the tests ---------------------------------------------------------------

e2e('a meeting created through the form is still there after the app restarts', async (env) => {
  const dir = await env.dataDir();
  const driver = await env.driver(dir);

  let app = await driver.launch();
  await app.waitFor('[data-testid=empty-state]');
  await createMeeting(app);
  await app.waitForText('[data-testid=detail-kelurahan]', MELONG.name);
  await app.waitForText('[data-testid=detail-rw]', '05');
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
  // 28/11 typed month first, as an English date picker would have it.
  await fillMeetingForm(app, { ...MEETING, rw: '0', date: '11/28/2026', place: '' });
  await app.click('[data-testid=save-meeting]');

  for (const field of ['rw', 'date', 'place']) {
    const element = await app.waitFor(`[data-testid=error-${field}]`);
    const text = (await element.text()).trim();
    assert.ok(text.length > 0, `the ${field} error has a message`);
    // A translated sentence, not a code or a catalogue key.
    assert.doesNotMatch(text, /^error\.|_/, `the ${field} error is a sentence: ${JSON.stringify(text)}`);
    assert.equal(await (await control(app, field)).attribute('aria-invalid'), 'true', `${field} is marked invalid`);
  }
  assert.equal(await app.script('return document.documentElement.lang'), 'id', 'the messages are in Indonesian');
  // The form stays, with what was typed.
  assert.equal(await (await control(app, 'rw')).property('value'), '0');
  assert.equal(await (await control(app, 'date')).property('value'), '11/28/2026');
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
  await app.waitFor(MEETING_FORM);
  assert.equal(await (await control(app, 'place')).property('value'), MEETING.place, 'the form starts from the meeting');
  assert.equal(await (await control(app, 'date')).property('value'), MEETING.date, 'its date written day first');
  await retype(app, `${MEETING_FORM} [name=place]`, 'Masjid Al-Ikhlas, RT 02');
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

  // The second window's one button, already focused, ends the second app.
  await second.waitForText('[data-testid=quit-app]', /Tutup Rembug/);
  assert.equal(await second.script('return document.activeElement?.dataset.testid'), 'quit-app', 'the button has the focus');
  await second.screenshot('startup-error');
  // The app may end before WebDriver answers the key press.
  await second.session.sendKeysToActive(KEY.enter).catch(() => {});
  await second.waitForExit();
  await goHome(first);
  assert.equal((await first.findAll('[data-testid=meeting-row]')).length, 1);
  await first.quit();
});
