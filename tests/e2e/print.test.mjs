// End-to-end test of Cetak: a cadre previews the demo meeting's berita acara,
// saves it as PDF and the workbook as XLSX through the (scripted) native save
// dialog; the PDF says DRAF while the meeting is a draft, and no longer once
// it is locked.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

import { REPO_ROOT } from './harness.mjs';
import { PHOTO_PNG, e2e, escapeCloses, fillMeetingForm, goHome, openTab, retype } from './steps.mjs';
import { waitFor } from './webdriver.mjs';

const run = promisify(execFile);
const CLI = resolve(REPO_ROOT, process.env.REMBUG_CLI ?? 'target/debug/rembug');

async function pdfText(path) {
  return (await run('pdftotext', ['-layout', path, '-'])).stdout;
}

/** In content order: the diagonal DRAF watermark reads as one word only this way. */
async function pdfRawText(path) {
  return (await run('pdftotext', ['-raw', path, '-'])).stdout;
}

/** Saves one document through the save dialog, answered with `path`. */
async function saveDocument(app, picks, kind, path) {
  await writeFile(picks, `${path}\n`);
  await app.click(`[data-testid=print-document][data-kind=${kind}] [data-testid=print-save]`);
  await app.waitForText('[data-testid=print-saved]', `Tersimpan: ${path}`, { timeout: 30_000 });
}

/**
 * The demo's draft meeting open on `tab`, in an app whose save dialogs
 * answer from the file `picks` in the fresh folder `work`.
 */
async function demoMeeting(env, prefix, tab) {
  const work = await mkdtemp(join(tmpdir(), prefix));
  const picks = join(work, 'picks');
  const dataDir = await env.dataDir();
  await run(CLI, ['--data-dir', dataDir, 'demo', '--scale', 'rw']);
  const app = await (await env.driver(dataDir, 'app', { REMBUG_TEST_PICKS: picks })).launch();
  await goHome(app);
  await app.click('[data-testid=meeting-row]');
  await openTab(app, tab);
  return { app, work, picks };
}

e2e(
  'the documents of a meeting are saved as PDF, marked DRAF until it is locked, and its workbook as XLSX',
  async (env) => {
    const { app, work, picks } = await demoMeeting(env, 'print-', 'print');
    await app.waitFor('[data-testid=print-draft]');

    // The preview shows every page, drawn.
    await app.click('[data-testid=print-document][data-kind=berita-acara] [data-testid=print-preview]');
    await app.waitFor('[data-testid=print-preview-page]', { timeout: 30_000 });
    const widths = await app.script(
      'return [...document.querySelectorAll("[data-testid=print-preview-page]")].map((img) => img.naturalWidth);',
      [],
    );
    assert.ok(widths.length >= 1 && widths.every((width) => width === 893), `preview pages: ${widths}`);
    const alt = await (await app.find('[data-testid=print-preview-page]')).attribute('alt');
    assert.equal(alt, `Halaman 1 dari ${widths.length}`);
    await app.screenshot('print-preview');
    await app.click('[data-testid=print-preview-close]');
    await app.waitForAbsent('[data-testid=print-preview-panel]');

    const draft = join(work, 'berita-acara-draf.pdf');
    await saveDocument(app, picks, 'berita-acara', draft);
    const draftText = await pdfText(draft);
    assert.match(draftText, /BERITA ACARA HASIL KESEPAKATAN/);
    assert.match(await pdfRawText(draft), /DRAF/);
    assert.match(draftText, /Pada hari \w+ tanggal [a-z ]+ bulan \w+ tahun [a-z ]+/);

    // The daftar hadir to print before the meeting: the RW's residents, no
    // phone numbers, no DRAF (residents sign it at the door).
    const residents = join(work, 'daftar-hadir-warga.pdf');
    await saveDocument(app, picks, 'daftar-hadir-warga', residents);
    const residentsText = await pdfText(residents);
    assert.match(residentsText, /DAFTAR HADIR/);
    assert.match(residentsText, /\b01\/08\b/, 'RT/RW as on screen');
    assert.doesNotMatch(residentsText, /08\d{8,}/, 'no phone number');
    assert.doesNotMatch(await pdfRawText(residents), /DRAF/);

    const workbook = join(work, 'rekap.xlsx');
    await writeFile(picks, `${workbook}\n`);
    await app.click('[data-testid=print-save-xlsx]');
    await app.waitForText('[data-testid=print-saved]', `Tersimpan: ${workbook}`, { timeout: 30_000 });
    assert.equal((await readFile(workbook)).subarray(0, 2).toString(), 'PK', 'an XLSX is a ZIP');

    await openTab(app, 'lock');
    await app.click('[data-testid=lock-meeting]');
    await app.click('[data-testid=lock-confirm-yes]');
    await app.waitFor('[data-testid=export-bundle-button]');
    await openTab(app, 'print');
    const locked = join(work, 'berita-acara.pdf');
    await saveDocument(app, picks, 'berita-acara', locked);
    assert.doesNotMatch(await pdfRawText(locked), /DRAF/);
    assert.match(await pdfText(locked), /BERITA ACARA HASIL KESEPAKATAN/);
    assert.equal((await app.findAll('[data-testid=print-draft]')).length, 0);
    assert.equal((await app.findAll('[data-testid=print-document][data-kind=daftar-hadir-kosong]')).length, 0, 'only before the meeting');
    await app.screenshot('print-tab');
  },
  { timeout: 120_000 },
);

e2e(
  'papers printed for signing carry no DRAF and the code of the record, and locking warns once the record changed',
  async (env) => {
    const work = await mkdtemp(join(tmpdir(), 'signing-'));
    // The system PDF viewer, as the app starts it: a stand-in that notes
    // which file it was asked to open.
    const bin = join(work, 'bin');
    const opened = join(work, 'opened');
    await mkdir(bin);
    await writeFile(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$1" >> '${opened}'\n`);
    await chmod(join(bin, 'xdg-open'), 0o755);
    const dataDir = await env.dataDir();
    await run(CLI, ['--data-dir', dataDir, 'demo', '--scale', 'rw']);
    const app = await (await env.driver(dataDir, 'app', { PATH: `${bin}:${process.env.PATH}` })).launch();

    await goHome(app);
    await app.click('[data-testid=meeting-row]');
    await openTab(app, 'lock');
    await app.waitFor('[data-testid=lock-signing-none]');

    // Print the berita acara for signing: no DRAF, the code in every footer.
    await openTab(app, 'print');
    await app.click('[data-testid=print-document][data-kind=berita-acara] [data-testid=print-for-signing]');
    await app.waitForText('[data-testid=print-signing-code]', /kode [0-9A-F]{8}\./, { timeout: 30_000 });
    const code = (await (await app.find('[data-testid=print-signing-code]')).text()).match(/kode ([0-9A-F]{8})/)[1];
    const pdf = (await readFile(opened, 'utf8')).trim().split('\n').at(-1);
    assert.match(pdf, /berita-acara-ttd-.*\.pdf$/);
    const text = await pdfText(pdf);
    assert.doesNotMatch(await pdfRawText(pdf), /DRAF/, 'no watermark on the paper for signing');
    const pages = text.split('\f').filter((page) => page.trim() !== '');
    assert.ok(pages.every((page) => page.includes(`Kode cetak: ${code}`)), 'every footer names the code');
    assert.match(text, /RUKUN WARGA \d{2}/);
    assert.match(text, /Pimpinan Rapat/);
    assert.match(text, /Ketua RW \d{2}/);
    assert.match(text, /Nomor: \.+/);
    await app.screenshot('print-for-signing');

    await openTab(app, 'lock');
    await app.waitForText('[data-testid=lock-signing-same]', new RegExp(`kode ${code}`));

    // The record changes after signing: the Kunci tab says the paper no longer matches.
    await openTab(app, 'summary');
    await app.click('[data-testid=edit-meeting]');
    await fillMeetingForm(app, { place: 'Masjid Al-Ikhlas' });
    await app.click('[data-testid=save-meeting]');
    await app.waitForText('[data-testid=detail-place]', 'Masjid Al-Ikhlas');
    await openTab(app, 'lock');
    await app.waitForText('[data-testid=lock-signing-changed]', new RegExp(`kode di kertas ${code}, sekarang (?!${code})[0-9A-F]{8}`));
    await app.screenshot('lock-signing-changed');
  },
  { timeout: 120_000 },
);

e2e(
  'the usulan form records keterangan, penerima manfaat, swadaya and an OPD from the list, marks three photos for SIPD, and the daftar usulan prints them',
  async (env) => {
    const { app, work, picks } = await demoMeeting(env, 'fields-', 'usulan');
    await app.click('[data-testid=usulan-row] [data-edit]');
    await app.waitFor('[data-testid=usulan-form]');
    const field = (name) => `[data-testid=usulan-form] [name=${name}]`;
    // The OPD tujuan offers Settings' list, seeded with Cimahi's OPD.
    const offered = await app.script('return [...document.querySelectorAll("#opd-list option")].map((o) => o.value);', []);
    assert.ok(offered.includes('Dinas Pekerjaan Umum dan Penataan Ruang') && offered.length >= 20, `${offered}`);
    assert.equal(await (await app.find(field('opd_tujuan'))).attribute('list'), 'opd-list');
    await retype(app, field('opd_tujuan'), 'Dinas Perhubungan');
    await retype(app, field('penerima_manfaat'), '1.250');
    await retype(app, field('swadaya'), 'Tenaga kerja warga');
    await retype(app, field('keterangan'), 'Lahan hibah warga');

    const photoFile = join(work, 'foto.png');
    await writeFile(photoFile, PHOTO_PNG);
    const before = (await app.findAll('[data-testid=photo-thumb]')).length;
    for (let added = 1; added <= 4; added++) {
      await (await app.find('[data-testid=usulan-form] input[type=file][name=photos]')).sendKeys(photoFile);
      await app.waitFor(`[data-testid=photo-thumb]:nth-child(${before + added})`);
    }
    const boxes = await app.findAll('[data-testid=photo-sipd]');
    for (const [index, box] of boxes.slice(0, 3).entries()) {
      await box.click();
      await app.waitForText('[data-testid=sipd-count]', new RegExp(`Foto untuk SIPD: ${index + 1} dari 3`));
    }
    await boxes[3].click();
    await app.waitForText('[data-testid=error-photos]', /SIPD hanya menerima 3 foto/);
    await waitFor(async () => (await boxes[3].property('checked')) === false, { message: 'the fourth box unticked again' });
    await app.waitForText('[data-testid=sipd-count]', /Foto untuk SIPD: 3 dari 3/);
    await app.screenshot('usulan-sipd-photos');
    await app.click('[data-testid=save-usulan]');
    await app.waitFor('[data-testid=usulan-list]');
    // The list row tells how many of its photos go to SIPD.
    await app.waitForText('[data-testid=usulan-row] [data-testid=usulan-photos-sipd]', /^3 untuk SIPD$/);
    await app.screenshot('usulan-list-sipd');

    // Reopened, the form holds what was saved.
    await app.click('[data-testid=usulan-row] [data-edit]');
    await app.waitFor('[data-testid=usulan-form]');
    assert.equal(await (await app.find(field('keterangan'))).property('value'), 'Lahan hibah warga');
    assert.equal(await (await app.find(field('opd_tujuan'))).property('value'), 'Dinas Perhubungan');
    const ticked = await app.script('return [...document.querySelectorAll("[data-testid=photo-sipd]")].filter((box) => box.checked).length;', []);
    assert.equal(ticked, 3);
    await escapeCloses(app, '[data-testid=usulan-form]', 'usulan');

    await openTab(app, 'print');
    const daftar = join(work, 'daftar-usulan.pdf');
    await saveDocument(app, picks, 'usulan', daftar);
    const text = await pdfRawText(daftar);
    for (const expected of [/Penerima/, /Swadaya/, /Keterangan/, /1\.250 orang/, /Lahan hibah/, /Tenaga/]) {
      assert.match(text, expected);
    }
  },
  { timeout: 150_000 },
);
