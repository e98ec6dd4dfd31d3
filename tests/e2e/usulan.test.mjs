// End-to-end tests of the notulen and the usulan, driving the real app as a
// cadre would (see README.md): notulen that save by themselves and survive the
// app being killed, and usulan refused field by field, then recorded with a
// photo.

import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { ARTIFACTS, appPids } from './harness.mjs';
import { KEY, MELONG, PHOTO_PNG, createMeeting, e2e, escapeCloses, openTab, retype } from './steps.mjs';
import { waitFor } from './webdriver.mjs';

const ENTER = KEY.enter;
const TEST_TIMEOUT = 150_000;

/** A draft rembug warga of RW 5 through the meeting form, dated today. */
const REMBUG_WARGA = { kelurahan_code: MELONG.code, rw: '5', place: 'Balai RW 05 Melong', facilitator: 'Siti Rahmawati' };

/** One test on one fresh data folder: `body(driver, dataDir)`. */
function usulanTest(name, body) {
  e2e(
    name,
    async (env) => {
      const dataDir = await env.dataDir();
      await body(await env.driver(dataDir), dataDir);
    },
    { timeout: TEST_TIMEOUT },
  );
}

/** Clears a field of the usulan form and types `text` into it. */
function typeInto(app, name, text) {
  return retype(app, `[data-testid=usulan-form] [name=${name}]`, text);
}

async function fieldError(app, name) {
  const element = await app.waitFor(`[data-testid=error-${name}]`);
  const text = (await element.text()).trim();
  // A translated sentence next to the field, not a code or a catalogue key.
  assert.ok(text.length > 0, `${name} has a message`);
  assert.doesNotMatch(text, /^error\.|_/, `${name}: ${JSON.stringify(text)}`);
  const control = await app.find(`[data-testid=usulan-form] [name=${name}]`);
  assert.equal(await control.attribute('aria-invalid'), 'true', `${name} is marked invalid`);
  return text;
}

usulanTest('notulen typed just before the window is closed with ✕ are saved before it closes', async (driver) => {
  let app = await driver.launch();
  await createMeeting(app, REMBUG_WARGA);
  await openTab(app, 'notulen');
  await (await app.waitFor('#agenda-new-title')).sendKeys(`Pembukaan${ENTER}`);
  await app.waitFor('[data-testid=agenda-item] textarea[name=discussion]');
  await waitFor(async () => (await app.script('return document.activeElement?.name')) === 'discussion', {
    message: 'the new item’s discussion box to have the focus',
  });
  const typed = 'Warga sepakat memperbaiki saluran air.';
  await app.session.sendKeysToActive(typed);
  // At once, well inside the autosave's pause: the shell asks the page to
  // save before the window goes.
  await app.closeWindow();

  app = await driver.launch();
  await app.click('[data-testid=meeting-row]');
  await app.waitFor('[data-testid=meeting-detail]');
  await openTab(app, 'notulen');
  const restored = await app.waitFor('[data-testid=agenda-item] textarea[name=discussion]');
  assert.equal(await restored.property('value'), typed, 'the text typed just before closing was saved');
  await app.quit();
});

usulanTest('notulen typed a second before the app is killed are there after a restart', async (driver, dataDir) => {
  let app = await driver.launch();
  await createMeeting(app, REMBUG_WARGA);
  await openTab(app, 'notulen');
  await app.waitFor('[data-testid=notulen-empty]');

  const title = await app.waitFor('#agenda-new-title');
  await title.sendKeys(`Pembukaan${ENTER}`);
  const discussion = await app.waitFor('[data-testid=agenda-item] textarea[name=discussion]');
  await waitFor(async () => (await app.script('return document.activeElement?.name')) === 'discussion', {
    message: 'the new item’s discussion box to have the focus',
  });
  const lines = ['Ketua RW membuka rapat pukul 19.35.', 'Hadir 42 warga; RT 03 belum datang.'];
  await app.session.sendKeysToActive(lines.join(ENTER));
  const typed = lines.join('\n');
  assert.equal(await discussion.property('value'), typed);

  // No save button, no leaving the box: a second's pause, then the power goes.
  await sleep(1_000);
  const pid = app.pid;
  process.kill(pid, 'SIGKILL');
  await waitFor(async () => !(await appPids(dataDir)).includes(pid), { message: `the killed app (pid ${pid}) to be gone` });
  await app.session.delete().catch(() => {});
  driver.apps.delete(app);

  app = await driver.launch();
  await app.click('[data-testid=meeting-row]');
  await app.waitFor('[data-testid=meeting-detail]');
  await openTab(app, 'notulen');
  const restored = await app.waitFor('[data-testid=agenda-item] textarea[name=discussion]');
  assert.equal(await restored.property('value'), typed, 'every keystroke survived the kill');
  const heading = (await (await app.find('[data-testid=agenda-item] h2')).text()).trim();
  assert.match(heading, /Pembukaan/);
  await app.waitForText('[data-testid=save-state]', /^✓ Tersimpan$/);

  // Typing again shows the calm indicator with the time of the save.
  await restored.sendKeys(' Rapat ditutup 21.10.');
  await app.waitForText('[data-testid=save-state]', /^✓ Tersimpan pukul \d{2}\.\d{2}$/);
  await app.screenshot('notulen-autosaved');

  // A second item, added with Enter, moved up, renamed, then deleted once confirmed.
  await (await app.find('#agenda-new-title')).sendKeys(`Penutup${ENTER}`);
  await waitForAgenda(app, ['1. Pembukaan', '2. Penutup']);
  // The new item's discussion takes the focus just after it shows, scrolling
  // the page: a click aimed before that lands below the button it meant.
  await waitFor(
    async () =>
      app.script(
        "return document.activeElement === document.querySelector('[data-testid=agenda-item]:nth-child(2) textarea[name=discussion]');",
      ),
    { message: "the new item's discussion to take the focus" },
  );
  await app.click('[data-testid=agenda-item]:nth-child(2) [data-action=up]');
  await waitForAgenda(app, ['1. Penutup', '2. Pembukaan']);
  await app.click('[data-testid=agenda-item]:nth-child(1) [data-action=rename]');
  const rename = await app.waitFor('[data-testid=agenda-item]:nth-child(1) input[name=title]');
  await rename.clear();
  await rename.sendKeys(`Doa dan penutup${ENTER}`);
  await waitForAgenda(app, ['1. Doa dan penutup', '2. Pembukaan']);
  await app.click('[data-testid=agenda-item]:nth-child(1) [data-action=delete]');
  await app.click('[data-testid=confirm-delete]');
  await waitForAgenda(app, ['1. Pembukaan']);
  assert.equal(await (await app.find('textarea[name=discussion]')).property('value'), `${typed} Rapat ditutup 21.10.`);
  await app.quit();
});

async function waitForAgenda(app, titles) {
  let shown = [];
  await waitFor(
    async () => {
      const headings = await app.findAll('[data-testid=agenda-item] h2');
      shown = await Promise.all(headings.map(async (heading) => (await heading.text()).trim()));
      return JSON.stringify(shown) === JSON.stringify(titles);
    },
    { message: `the agenda ${JSON.stringify(titles)} (it shows ${JSON.stringify(shown)})` },
  );
}

usulanTest('usulan are refused field by field, then one is recorded with a photo', async (driver) => {
  const app = await driver.launch();
  await createMeeting(app, REMBUG_WARGA);
  await openTab(app, 'usulan');
  await app.waitFor('[data-testid=usulan-empty]');
  await app.click('[data-testid=new-usulan]');
  await app.waitFor('[data-testid=usulan-form]');
  assert.equal(
    await (await app.find('[data-testid=usulan-form] [name=rw]')).property('value'),
    '5',
    'the RW starts as the meeting’s',
  );

  const bidang = await app.waitFor('[data-testid=usulan-form] select[name=bidang] option[value=infrastruktur]', {
    displayed: false,
  });
  await bidang.click();
  const typed = {
    kegiatan: 'Betonisasi jalan gang',
    permasalahan: 'Jalan gang berlubang dan tergenang setiap hujan',
    alamat: 'Gang Melati',
    rt_list: '1, 3',
    rw: '0',
    latitude: '48,85',
    longitude: '2,35',
    volume: '120',
    satuan: 'meter',
    biaya: '-12.500.000',
  };
  for (const [name, text] of Object.entries(typed)) await typeInto(app, name, text);
  await app.click('[data-testid=save-usulan]');

  assert.match(await fieldError(app, 'biaya'), /negatif/);
  assert.match(await fieldError(app, 'latitude'), /luar Indonesia/);
  assert.match(await fieldError(app, 'longitude'), /luar Indonesia/);
  assert.match(await fieldError(app, 'rw'), /RW/);
  for (const name of ['kegiatan', 'alamat', 'volume', 'satuan', 'bidang']) {
    assert.equal((await app.findAll(`[data-testid=error-${name}]`)).length, 0, `${name} was accepted`);
  }
  // What was typed stays, and the focus is on the first refused field.
  assert.equal(await (await app.find('[data-testid=usulan-form] [name=biaya]')).property('value'), '-12.500.000');
  assert.equal(await app.script('return document.activeElement?.name'), 'rw');
  await app.screenshot('usulan-form-errors');

  // Cents are refused too.
  await typeInto(app, 'biaya', '12.500.000,50');
  await app.click('[data-testid=save-usulan]');
  await app.waitForText('[data-testid=error-biaya]', /sen/);

  // Corrected, with a photo from a file.
  await typeInto(app, 'rw', '5');
  await typeInto(app, 'latitude', '-6,8725');
  await typeInto(app, 'longitude', '107,5421');
  await typeInto(app, 'biaya', 'Rp 12.500.000');
  await app.waitForText('[data-testid=biaya-preview]', 'Tercatat Rp 12.500.000');
  const photoFile = join(ARTIFACTS, 'usulan-photo.png');
  await writeFile(photoFile, PHOTO_PNG);
  await (await app.find('[data-testid=usulan-form] input[type=file][name=photos]')).sendKeys(photoFile);
  await app.waitForText('[data-testid=photos-pending]', /^1 foto/);
  await app.click('[data-testid=save-usulan]');

  await app.waitFor('[data-testid=usulan-list]');
  const rows = await app.findAll('[data-testid=usulan-row]');
  assert.equal(rows.length, 1, 'only the corrected usulan was saved');
  await app.waitForText('[data-testid=usulan-kegiatan]', typed.kegiatan);
  await app.waitForText('[data-testid=usulan-biaya]', 'Rp 12.500.000');
  await app.waitForText('[data-testid=usulan-photos]', /1 foto/);
  const rowText = await rows[0].text();
  assert.match(rowText, /RT 01, 03 · RW 05/);
  assert.match(rowText, /120 meter/);
  assert.match(rowText, /Infrastruktur/);

  // The thumbnail comes through the rembug-attachment scheme, by hash only.
  await waitFor(
    async () => (await app.script(`return document.querySelector('[data-testid=usulan-photos] img')?.naturalWidth`)) === 96,
    { message: 'the thumbnail to load' },
  );
  const probe = await app.session.executeAsyncScript(`
    const done = arguments[arguments.length - 1];
    const src = document.querySelector('[data-testid=usulan-photos] img').src;
    const image = new Image();
    image.onload = () => done('loaded');
    image.onerror = () => done('refused');
    image.src = src.replace(/[0-9a-f]{64}$/, '..%2Frembug.sqlite3');`);
  assert.equal(probe, 'refused', 'a name that is not a hash is not served');
  await app.screenshot('usulan-list');

  // The edit form starts from what was stored and shows the photo.
  await app.click('[data-testid=usulan-row] [data-edit]');
  await app.waitFor('[data-testid=usulan-form]');
  assert.equal(await (await app.find('[data-testid=usulan-form] [name=biaya]')).property('value'), '12.500.000');
  assert.equal((await app.findAll('[data-testid=photo-thumb]')).length, 1);
  // Escape closes the form only: back on the list, on the meeting page.
  await escapeCloses(app, '[data-testid=usulan-form]', 'usulan');
  await app.waitFor('[data-testid=usulan-list]');
  await app.quit();
});
