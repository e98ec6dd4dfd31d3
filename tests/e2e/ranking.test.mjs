// End-to-end test of ranking, locking, revising and finding a meeting again,
// driving the real app as a cadre would (see README.md): three usulan scored
// with the keyboard alone, the ranked list and the projector view, an order
// changed by consensus with a reason, the lock once nothing is missing, a
// correction by a new revision, and the meeting found again by a word of an
// usulan. Every step goes through the app's own screens.

import assert from 'node:assert/strict';

import { KEY, MELONG, choose, createMeeting, e2e, escapeCloses, openTab, textsOf } from './steps.mjs';
import { waitFor } from './webdriver.mjs';

const TEST_TIMEOUT = 180_000;

/** Three usulan, in the order they are entered. */
const USULAN = [
  {
    kegiatan: 'Betonisasi jalan Gang Melati',
    permasalahan: 'Jalan gang berlubang dan licin saat hujan',
    alamat: 'Gang Melati',
    rt_list: '1',
    volume: '120',
    satuan: 'meter',
    biaya: '12.500.000',
    bidang: 'infrastruktur',
  },
  {
    kegiatan: 'Pelatihan UMKM ibu-ibu PKK',
    permasalahan: 'Usaha rumahan belum punya izin dan kemasan',
    alamat: 'Balai RW 05',
    rt_list: '',
    volume: '1',
    satuan: 'paket',
    biaya: '7.500.000',
    bidang: 'ekonomi',
  },
  {
    kegiatan: 'Saluran drainase RT 03',
    permasalahan: 'Air meluap ke rumah warga setiap hujan deras',
    alamat: 'Jalan Sukarasa',
    rt_list: '3',
    volume: '80',
    satuan: 'meter',
    biaya: '25.000.000',
    bidang: 'infrastruktur',
  },
];

/** One score per criterion (the five default criteria), per usulan in order of entry. */
const SCORES = ['33333', '22222', '55555'];
const REORDER_REASON = 'Warga sepakat pelatihan UMKM didahulukan karena dananya bisa dibantu swadaya';
const REVISION_REASON = 'Biaya drainase salah ketik, seharusnya Rp 20.000.000';

e2e('usulan are scored by keyboard, reordered by consensus, locked, revised and found again', async (env) => {
  const driver = await env.driver(await env.dataDir());
  const app = await driver.launch();
  await createMeeting(app, {
    kelurahan_code: MELONG.code,
    rw: '5',
    place: 'Balai RW 05',
    facilitator: 'Dedi Kurniawan',
    pimpinan: 'Ujang Suryana',
  });
  for (const usulan of USULAN) await addUsulan(app, usulan);

  // --- Peringkat: the default criteria, scored with digits only ---------
  await openTab(app, 'ranking');
  await app.waitFor('[data-testid=score-grid]');
  const criteria = await app.findAll('[data-testid=criteria-list] li');
  assert.equal(criteria.length, 5, 'a new meeting starts with the five criteria of the settings');
  assert.match(await criteria[0].text(), /Kemendesakan\s*30/);
  await app.waitForText('[data-testid=ranking-row]:first-child th', /Rp 12\.500\.000/);

  await app.click('[data-testid=score-cell][data-row="0"][data-column="0"]');
  for (const digit of SCORES.join('')) await app.session.sendKeysToActive(digit);
  // The cursor went on by itself, cell after cell, and stayed in the grid
  // while the ranked list re-sorted beside it.
  assert.deepEqual(await activeCell(app), { row: '2', column: '4' });
  await waitForOrder(app, [USULAN[2], USULAN[0], USULAN[1]]);
  assert.deepEqual(await gridColumn(app, 'score-total'), ['60,0 dari 100', '40,0 dari 100', '100,0 dari 100']);
  assert.deepEqual(await gridColumn(app, 'score-rank'), ['2', '3', '1']);

  // Backspace clears a score, the arrows move, a digit scores again.
  await app.session.sendKeysToActive(KEY.backspace);
  await waitFor(async () => (await gridColumn(app, 'score-total'))[2] === '90,0 dari 100', { message: 'the cleared score to leave the total' });
  await app.session.sendKeysToActive(KEY.arrowLeft);
  assert.deepEqual(await activeCell(app), { row: '2', column: '3' });
  await app.session.sendKeysToActive(KEY.arrowRight);
  await app.session.sendKeysToActive('5');
  await waitFor(async () => (await gridColumn(app, 'score-total'))[2] === '100,0 dari 100', { message: 'the score typed again' });
  // A 7 is no score: refused with a hint, nothing stored.
  await app.click('[data-testid=score-cell][data-row="1"][data-column="0"]');
  await app.session.sendKeysToActive('7');
  assert.equal(await (await app.find('[data-testid=score-cell][data-row="1"][data-column="0"]')).property('value'), '2');
  await app.waitForText('.refused', /1 sampai 5/);
  await app.screenshot('ranking-tab');

  // --- The projector view: F5 opens it, Escape closes it ----------------
  await app.session.sendKeysToActive(KEY.f5);
  await app.waitFor('[data-testid=projector]');
  const projected = await app.findAll('[data-testid=projector-row]');
  assert.equal(projected.length, 3);
  assert.deepEqual(await textsOf(app, '[data-testid=projector-row]:first-child td'), [
    '1',
    'Saluran drainase RT 03 Jalan Sukarasa, RT 03, RW 05',
    '100,0 dari 100',
  ]);
  const smallest = await app.script(`
    return Math.min(...[...document.querySelectorAll('[data-testid=projector] *')]
      .filter((node) => [...node.childNodes].some((child) => child.nodeType === 3 && child.textContent.trim()))
      .map((node) => parseFloat(getComputedStyle(node).fontSize)));`);
  assert.ok(smallest >= 32, `every text of the projector view is 32px or larger (smallest: ${smallest}px)`);
  await app.screenshot('ranking-projector');
  await escapeCloses(app, '[data-testid=projector]', 'ranking');

  // --- A show of hands instead: counts typed row after row ---------------
  await app.click('[data-testid=method-hands]');
  await app.click('[data-testid=hands-input][data-row="0"]');
  for (const count of ['12', '30', '5']) await app.session.sendKeysToActive(`${count}${KEY.enter}`);
  await waitForOrder(app, [USULAN[1], USULAN[0], USULAN[2]]);
  await app.click('[data-testid=method-scores]');
  await waitForOrder(app, [USULAN[2], USULAN[0], USULAN[1]]);

  // --- Criteria: a weight refused by the core, then corrected ------------
  // Escape closes the editor only: the meeting page stays, on this tab.
  await app.click('[data-testid=criteria-edit]');
  await app.waitFor('#criterion-0-weight');
  await escapeCloses(app, '[data-testid=criteria-editor]', 'ranking');
  await app.click('[data-testid=criteria-edit]');
  const weight = await app.waitFor('#criterion-0-weight');
  await weight.clear();
  await weight.sendKeys('0');
  await app.click('[data-testid=criteria-save]');
  await app.waitForText('#criterion-0-weight-error', 'Bobot harus 1 sampai 100.');
  assert.equal(await app.script('return document.activeElement?.id'), 'criterion-0-weight', 'the refused weight has the focus');
  await app.screenshot('ranking-criteria');
  await weight.clear();
  await weight.sendKeys('40');
  await app.click('[data-testid=criteria-save]');
  await app.waitForAbsent('[data-testid=criteria-editor]');
  assert.match(await (await app.find('[data-testid=criteria-list] li')).text(), /Kemendesakan\s*40/);
  // The score reads out of 100 whatever the weights add up to (330, 220
  // and 550 of 550 now).
  assert.deepEqual(await gridColumn(app, 'score-total'), ['60,0 dari 100', '40,0 dari 100', '100,0 dari 100']);

  // --- Consensus: UMKM moved to the top, with a reason ------------------
  await app.click('[data-testid=reorder]');
  await app.waitFor('[data-testid=reorder-editor]');
  await escapeCloses(app, '[data-testid=reorder-editor]', 'ranking');
  await app.click('[data-testid=reorder]');
  await app.waitFor('[data-testid=reorder-editor]');
  await app.click('[data-testid=reorder-up][data-index="2"]'); // UMKM ↑
  // The focus follows UMKM; Enter moves it up once more.
  await app.session.sendKeysToActive(KEY.enter);
  assert.deepEqual(await textsOf(app, '[data-testid=reorder-row] .kegiatan'), [USULAN[1].kegiatan, USULAN[2].kegiatan, USULAN[0].kegiatan]);
  await app.click('[data-testid=reorder-save]');
  await app.waitForText('[data-testid=error-reason]', /Wajib diisi/);
  await app.screenshot('ranking-reorder');
  await (await app.find('[data-testid=reorder-reason]')).sendKeys(REORDER_REASON);
  await app.click('[data-testid=reorder-save]');
  await app.waitForAbsent('[data-testid=reorder-editor]');
  await waitForOrder(app, [USULAN[1], USULAN[2], USULAN[0]]);
  await app.waitForText('[data-testid=override-reason]', REORDER_REASON);

  // --- Kunci: what is missing, then attendance and a delegate -----------
  await openTab(app, 'lock');
  await app.waitFor('[data-testid=lock-blockers]');
  assert.deepEqual(await attributesOf(app, '[data-testid=lock-blocker]', 'data-code'), ['no_attendees', 'no_delegates']);
  assert.match(await (await app.find('[data-testid=lock-blockers]')).text(), /Belum ada peserta/);
  await app.screenshot('lock-blockers');
  await checkInNewResident(app, 'Siti Aminah');
  await chooseDelegate(app);

  await openTab(app, 'lock');
  await app.click('[data-testid=lock-meeting]');
  await app.waitForText('[data-testid=lock-confirm]', /revisi baru/);
  await app.click('[data-testid=lock-confirm-yes]');
  await app.waitForText('[data-testid=locked-at]', /^Dikunci pada \S+, \d+ \S+ \d{4} pukul \d{2}\.\d{2} WIB\.$/);
  await app.waitForText('.page-head .status', 'Terkunci');
  await app.screenshot('lock-locked');

  // Locked: the ranking reads, nothing edits.
  await openTab(app, 'ranking');
  await app.waitFor('[data-testid=score-grid]');
  assert.equal((await app.findAll('[data-testid=score-cell]')).length, 0, 'no score can be typed');
  assert.equal((await app.findAll('[data-testid=score-value]')).length, 15);
  for (const control of ['reorder', 'clear-override', 'criteria-edit', 'method-scores']) {
    assert.equal((await app.findAll(`[data-testid=${control}]`)).length, 0, `no ${control} on a locked meeting`);
  }
  await waitForOrder(app, [USULAN[1], USULAN[2], USULAN[0]]);
  await app.screenshot('ranking-locked');

  // --- Koreksi: a new revision with a reason ----------------------------
  await openTab(app, 'lock');
  await app.click('[data-testid=revise-meeting]');
  await app.waitFor('[data-testid=revision-reason]');
  await escapeCloses(app, '[data-testid=revision-reason]', 'lock');
  await app.click('[data-testid=revise-meeting]');
  await app.click('[data-testid=revise-confirm]');
  await app.waitForText('[data-testid=error-reason]', /Wajib diisi/);
  await (await app.find('[data-testid=revision-reason]')).sendKeys(REVISION_REASON);
  await app.click('[data-testid=revise-confirm]');
  await app.waitForText('[data-testid=revision-supersedes]', `Revisi 2 — mengganti revisi 1: ${REVISION_REASON}`);
  await app.waitForText('.page-head .status', 'Draf');
  await app.screenshot('lock-revised');
  await openTab(app, 'history');
  await app.waitForText('[data-testid=change-log]', /Dikoreksi \(revisi baru\)/);

  // --- Home: filters, then a search that opens the meeting --------------
  await app.click('[data-testid=nav-home]');
  await app.waitFor('[data-testid=meeting-list]');
  assert.equal((await app.findAll('[data-testid=meeting-row]')).length, 1, 'the replaced revision is not listed twice');
  await choose(app, '[data-testid=filter-status]', 'locked');
  await app.waitFor('[data-testid=no-match]');
  await choose(app, '[data-testid=filter-status]', 'draft');
  await (await app.waitFor('[data-testid=filter-rw]')).sendKeys('5');
  await app.waitForText('[data-testid=filter-count]', /^1 musyawarah/);
  await app.screenshot('home-filters');
  await app.click('[data-testid=filter-clear]');

  // "/" jumps to the search field from anywhere on the home screen.
  await (await app.find('h1')).click();
  await app.session.sendKeysToActive('/');
  await waitFor(async () => (await app.script('return document.activeElement?.dataset.testid')) === 'search-field', {
    message: 'the search field to have the focus',
  });
  await app.session.sendKeysToActive('drain');
  await app.waitFor('[data-testid=search-hit][data-kind=usulan]');
  const marks = await textsOf(app, '[data-testid=search-hit] mark');
  assert.ok(marks.some((mark) => /^drain/i.test(mark)), `the matched word is marked: ${JSON.stringify(marks)}`);
  await app.screenshot('home-search');
  await app.session.sendKeysToActive(KEY.arrowDown);
  await app.session.sendKeysToActive(KEY.enter);
  await app.waitFor('[data-testid=meeting-detail]');
  await openTab(app, 'lock');
  await app.waitForText('[data-testid=revision-supersedes]', /^Revisi 2/);
  await app.quit();
}, { timeout: TEST_TIMEOUT });

// --- steps -------------------------------------------------------------------

async function addUsulan(app, usulan) {
  await openTab(app, 'usulan');
  const before = (await app.findAll('[data-testid=usulan-row]')).length;
  await app.click('[data-testid=new-usulan]');
  const form = '[data-testid=usulan-form]';
  await app.waitFor(form);
  const { bidang, ...texts } = usulan;
  await (await app.waitFor(`${form} select[name=bidang] option[value=${bidang}]`, { displayed: false })).click();
  for (const [name, text] of Object.entries(texts)) {
    if (text !== '') await (await app.find(`${form} [name=${name}]`)).sendKeys(text);
  }
  await app.click('[data-testid=save-usulan]');
  await waitFor(async () => (await app.findAll('[data-testid=usulan-row]')).length === before + 1, {
    message: `the usulan "${usulan.kegiatan}" to be listed`,
  });
}

/** A resident who is not in the directory yet, checked in from the attendance tab. */
async function checkInNewResident(app, name) {
  await openTab(app, 'attendance');
  await (await app.waitFor('[data-testid=check-in-search]')).sendKeys(name);
  await app.click('[data-testid=suggestion-new]');
  await app.waitFor('[data-testid=new-person-form]');
  await (await app.find('[data-testid=new-person-form] [name=gender][value=P]')).click();
  await (await app.waitFor('[data-testid=new-person-form] select[name=unsur] option[value=PKK]', { displayed: false })).click();
  await app.click('[data-testid=save-new-person]');
  await app.waitForText('[data-testid=attendee-name]', name);
}

async function chooseDelegate(app) {
  await openTab(app, 'delegates');
  await app.click('[data-testid=delegate-add]');
  await app.click('[data-testid=save-delegates]');
  await app.waitFor('[data-testid=delegates-saved]');
}

async function attributesOf(app, css, name) {
  return Promise.all((await app.findAll(css)).map((element) => element.attribute(name)));
}

/** The grid's cells of one column (`score-total`, `score-rank`), in the order of entry. */
function gridColumn(app, testid) {
  return textsOf(app, `[data-testid=ranking-row] [data-testid=${testid}]`);
}

async function activeCell(app) {
  return app.script('const cell = document.activeElement; return { row: cell?.dataset.row, column: cell?.dataset.column };');
}

async function waitForOrder(app, usulan) {
  const expected = usulan.map((item) => item.kegiatan);
  let shown;
  await waitFor(
    async () => {
      shown = await textsOf(app, '[data-testid=priority-kegiatan]');
      return JSON.stringify(shown) === JSON.stringify(expected);
    },
    { message: `the priority list to read ${JSON.stringify(expected)} (it reads ${JSON.stringify(shown)})` },
  ).catch((error) => {
    error.message += ` (it reads ${JSON.stringify(shown)})`;
    throw error;
  });
}
