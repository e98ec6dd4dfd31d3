// End-to-end: the daftar hadir and the delegates, driven with the keyboard as
// a cadre at the hall's door would. A first meeting fills the directory with
// new residents; in a second meeting they return and are found by typing a
// few letters. Run with tests/e2e/run.sh (see README.md).

import assert from 'node:assert/strict';

import { KEY, MELONG, createMeeting, e2e, escapeCloses, openTab, retype } from './steps.mjs';
import { waitFor } from './webdriver.mjs';

const { enter: ENTER, tab: TAB, control: CONTROL } = KEY;

const SEARCH = '[data-testid=check-in-search]';
const NEW_PERSON = '[data-testid=new-person-form]';

/** Last year's rembug warga, where the residents first came (dated today). */
const FIRST_MEETING = { kelurahan_code: MELONG.code, rw: '5', place: 'Balai RW 05 Melong', facilitator: 'Siti Rahmawati' };
const SECOND_MEETING = { ...FIRST_MEETING, place: 'Masjid Al-Ikhlas, RT 02' };

/** Residents of RW 5; the three men later return and become the delegates. */
const RETURNING = [
  { name: 'Ahmad Sulaeman', gender: 'l', typed: 'ahm' },
  { name: 'Budi Santoso', gender: 'l', typed: 'bud' },
  { name: 'Cecep Hidayat', gender: 'l', typed: 'cec' },
  { name: 'Dewi Lestari', gender: 'p' },
  { name: 'Eka Pratiwi', gender: 'p' },
];

/** New in the second meeting: one woman in five, short of the 30% target. */
const NEWCOMERS = [
  { name: 'Fajar Nugraha', gender: 'l', rt: '3' },
  { name: 'Gita Permata', gender: 'p', shortcut: true },
];

/** More newcomers, so the list looks like a real evening's. */
const LATECOMERS = ['Hendra Gunawan', 'Iwan Setiawan', 'Joko Susilo', 'Kurnia Rahman', 'Lukman Hakim'];

async function openAttendance(app) {
  await openTab(app, 'attendance');
  // The search field has the focus as soon as the tab opens.
  await app.waitFor(SEARCH);
  await waitFor(async () => (await app.script('return document.activeElement?.dataset.testid')) === 'check-in-search', {
    message: 'the check-in field to have the focus',
  });
}

async function attendeeNames(app) {
  const cells = await app.findAll('[data-testid=attendee-name]');
  return Promise.all(cells.map(async (cell) => (await cell.text()).trim()));
}

async function waitForAttendees(app, count) {
  await waitFor(async () => (await app.findAll('[data-testid=attendee-row]')).length === count, {
    message: `${count} rows on the attendance list`,
  });
}

/** Types into whatever has the focus, as the cadre's keyboard does. */
async function keys(app, text) {
  await app.session.sendKeysToActive(text);
}

/**
 * A new resident, keyboard only: the name and Enter (nobody matches) or
 * Ctrl+Enter, then L or P, optionally Tab Tab and the RT, and Enter.
 */
async function checkInNew(app, { name, gender, rt, shortcut = false }, expectedCount) {
  await keys(app, shortcut ? `${name}${CONTROL}${ENTER}${CONTROL}` : `${name}${ENTER}`);
  await app.waitFor(NEW_PERSON);
  const nameField = await app.find(`${NEW_PERSON} [name=name]`);
  assert.equal(await nameField.property('value'), name, 'the name typed is already in the form');
  assert.equal(
    await (await app.find(`${NEW_PERSON} [name=rw]`)).property('value'),
    '5',
    'the RW comes from the meeting',
  );
  // The focus waits on L/P: one key chooses.
  await keys(app, gender);
  if (rt) await keys(app, `${TAB}${TAB}${rt}`);
  await keys(app, ENTER);
  await app.waitForAbsent(NEW_PERSON);
  await waitForAttendees(app, expectedCount);
  await app.waitForText('[data-testid=check-in-done]', new RegExp(`${name}.*${expectedCount}`));
  // Back in the search field, empty, for the next person.
  await app.waitFor(SEARCH);
  assert.equal(await (await app.find(SEARCH)).property('value'), '');
}

/** A zigzag drawn on the signature pad with real pointer events (W3C actions). */
async function drawSignature(app) {
  const canvas = await app.waitFor('[data-testid=signature-pad] canvas');
  const origin = canvas.toJSON();
  const zigzag = [-200, -120, -40, 40, 120, 200].map((x, i) => ({
    type: 'pointerMove',
    duration: 50,
    origin,
    x,
    y: i % 2 ? 30 : -30,
  }));
  await app.session.command('POST', '/actions', {
    actions: [
      {
        type: 'pointer',
        id: 'pen',
        parameters: { pointerType: 'mouse' },
        actions: [
          { type: 'pointerMove', duration: 0, origin, x: -220, y: 0 },
          { type: 'pointerDown', button: 0 },
          ...zigzag,
          { type: 'pointerUp', button: 0 },
        ],
      },
    ],
  });
  await app.session.command('DELETE', '/actions');
}

e2e('a room checks in by keyboard, the counts follow, delegates are chosen', async (env) => {
  const driver = await env.driver(await env.dataDir());
  const app = await driver.launch();

  // Last year's meeting: five residents, new to this laptop.
  await createMeeting(app, FIRST_MEETING);
  await openAttendance(app);
  await app.waitFor('[data-testid=attendees-empty]');
  for (const [index, person] of RETURNING.entries()) {
    await checkInNew(app, person, index + 1);
  }
  await app.waitForText('[data-testid=count-total]', '5');
  await app.waitForText('[data-testid=women-share]', /40%.*30%.*tercapai/);

  // This year's meeting: they come back and are found by a few letters.
  await createMeeting(app, SECOND_MEETING);
  await openAttendance(app);
  for (const [index, person] of RETURNING.slice(0, 3).entries()) {
    await keys(app, person.typed);
    await app.waitForText('[data-testid=suggestion]', new RegExp(person.name));
    await keys(app, ENTER);
    await waitForAttendees(app, index + 1);
    assert.equal((await app.find(SEARCH).then((field) => field.property('value'))), '', 'the field is empty again');
  }
  assert.deepEqual(await attendeeNames(app), RETURNING.slice(0, 3).map((person) => person.name));

  // Two new residents in the same row, without leaving the keyboard.
  for (const [index, person] of NEWCOMERS.entries()) {
    await checkInNew(app, person, 4 + index);
  }
  const fajar = (await app.findAll('[data-testid=attendee-row]'))[3];
  assert.match(await fajar.text(), /RT 03\/RW 05/, 'the RT typed is on the list, two digits as on paper');

  // Counts: 5 present, 1 woman: 20%, short of the 30% target, in words.
  await app.waitForText('[data-testid=count-total]', '5');
  await app.waitForText('[data-testid=count-women]', '1');
  await app.waitForText('[data-testid=count-men]', '4');
  await app.waitForText('[data-testid=women-share]', 'Peserta perempuan baru 20%, target 30%.');

  // A second check-in of the same person is refused, plainly.
  await keys(app, 'ahm');
  await app.waitForText('[data-testid=suggestion]', /Ahmad Sulaeman.*sudah hadir/s);
  await keys(app, ENTER);
  await app.waitForText('[data-testid=check-in-error]', /Ahmad Sulaeman.*sudah tercatat hadir/);
  await waitForAttendees(app, 5);
  await app.screenshot('attendance-duplicate');

  // The rest of the evening's arrivals (the refused name was left selected:
  // the next name simply replaces it); a screenshot of a real-looking list.
  for (const [index, name] of LATECOMERS.entries()) {
    await checkInNew(app, { name, gender: 'l' }, 6 + index);
  }
  await app.waitForText('[data-testid=women-share]', /10%.*30%/);
  await app.script('window.scrollTo(0, 0)');
  await app.screenshot('attendance-ten-attendees');
  await app.script('window.scrollTo(0, document.body.scrollHeight)');
  await app.screenshot('attendance-ten-attendees-scrolled');

  // A signature drawn with the mouse on the first row; Escape first closes
  // the pad only.
  await app.script('window.scrollTo(0, 0)');
  await app.click('[data-testid=attendee-row]:first-child [data-testid=sign-attendee]');
  await app.waitFor('[data-testid=signature-pad] canvas');
  await escapeCloses(app, '[data-testid=signature-pad]', 'attendance');
  await app.click('[data-testid=attendee-row]:first-child [data-testid=sign-attendee]');
  await drawSignature(app);
  await app.screenshot('attendance-signature');
  await app.click('[data-testid=signature-save]');
  await app.waitForAbsent('[data-testid=signature-pad]');
  await app.waitForText('[data-testid=attendee-row]:first-child [data-testid=signature-status]', /Sudah/);
  // The drawn signature is shown from the store, through the attachment scheme.
  await app.waitFor('[data-testid=attendee-row]:first-child [data-testid=signature-image]');
  await waitFor(
    () =>
      app.script(
        "const image = document.querySelector('[data-testid=attendee-row]:first-child [data-testid=signature-image]');" +
          'return Boolean(image && image.complete && image.naturalWidth > 0);',
      ),
    { message: 'the signature image to load' },
  );
  await app.click(SEARCH);

  // The new-resident row, open, for a look.
  // A refused field is said next to it, and has the focus; Esc leaves it.
  await keys(app, `Maya${CONTROL}${ENTER}${CONTROL}`);
  await app.waitFor(NEW_PERSON);
  await keys(app, `p${TAB.repeat(5)}0812-ABCD${ENTER}`);
  await app.waitForText(`${NEW_PERSON} [data-testid=error-phone]`, /hanya berisi angka/);
  assert.equal(await app.script('return document.activeElement?.name'), 'phone', 'the refused field has the focus');
  await app.screenshot('attendance-new-resident');
  await escapeCloses(app, NEW_PERSON, 'attendance'); // back to the search field, nothing saved
  await waitForAttendees(app, 10);

  // Delegates: three men, by filtering and Enter; the core warns.
  await openTab(app, 'delegates');
  const filter = await app.waitFor('[data-testid=delegate-filter]');
  for (const person of RETURNING.slice(0, 3)) {
    await filter.sendKeys(`${person.typed}${ENTER}`);
  }
  const chosen = await app.findAll('[data-testid=delegate-name]');
  assert.deepEqual(
    await Promise.all(chosen.map(async (cell) => (await cell.text()).trim())),
    RETURNING.slice(0, 3).map((person) => person.name),
  );
  await app.click('[data-testid=save-delegates]');
  await app.waitFor('[data-testid=delegates-saved]');
  await app.waitForText(
    '[data-testid=delegate-warning-no_woman_delegate]',
    /Belum ada perempuan di antara 3 delegasi/,
  );
  assert.equal(
    (await app.findAll('[data-testid=delegate-warning-delegate_count_outside_range]')).length,
    0,
    'three delegates are within 3 to 5',
  );
  await app.screenshot('delegates-no-woman');

  // A delegate cannot leave the attendance list behind the delegates' back.
  await openAttendance(app);
  await waitForAttendees(app, 10);
  await app.click('[data-testid=attendee-row]:first-child [data-testid=remove-attendee]');
  await app.click('[data-testid=confirm-remove]');
  await app.waitForText('[data-testid=attendee-error]', /Ahmad Sulaeman.*delegasi/);
  await waitForAttendees(app, 10);

  await app.quit();
}, { timeout: 240_000 });

e2e('the recording settings are refused field by field, then saved', async (env) => {
  const driver = await env.driver(await env.dataDir());
  const app = await driver.launch();
  await app.click('[data-testid=nav-settings]');
  const form = '[data-testid=recording-settings]';
  await app.waitFor(form);
  const field = (name) => app.find(`${form} [name="${name}"]`);

  // Cimahi's defaults: 30% women, RT first among the unsur.
  assert.equal(await (await field('women_target_percent')).property('value'), '30');
  assert.equal(await (await field('unsur.0')).property('value'), 'RT');

  await retype(app, `${form} [name="women_target_percent"]`, '40');
  await retype(app, `${form} [name="criteria.0.weight"]`, '0');
  await retype(app, `${form} [name="unsur.1"]`, 'rt');
  await app.click('[data-testid=save-recording-settings]');
  await app.waitForText('[data-testid="error-criteria.0.weight"]', /1 sampai 100/);
  await app.waitForText('[data-testid="error-unsur.1"]', /sudah ada/);
  assert.equal(
    await app.script('return document.activeElement?.name'),
    'criteria.0.weight',
    'the first refused field has the focus',
  );
  assert.equal(await (await field('unsur.1')).property('value'), 'rt', 'what was typed stays');
  await app.screenshot('settings-refused');

  await retype(app, `${form} [name="criteria.0.weight"]`, '25');
  await retype(app, `${form} [name="unsur.1"]`, 'RW');
  await app.click('[data-testid=save-recording-settings]');
  await app.waitFor('[data-testid=recording-saved]');
  assert.equal((await app.findAll('[data-testid^="error-"]')).length, 0, 'no error is left');

  // Saved: a new visit to the screen reads it back.
  await app.click('[data-testid=nav-home]');
  await app.click('[data-testid=nav-settings]');
  await app.waitFor(form);
  await waitFor(async () => (await (await field('women_target_percent')).property('value')) === '40', {
    message: 'the saved women target',
  });
  assert.equal(await (await field('criteria.0.weight')).property('value'), '25');
  assert.equal(await (await app.find('[data-testid=language-select]')).property('value'), 'id');
  await app.screenshot('settings-recording');
  await app.quit();
}, { timeout: 120_000 });
