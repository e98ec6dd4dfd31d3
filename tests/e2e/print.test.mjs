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
import { e2e, fillMeetingForm, goHome, openTab } from './steps.mjs';

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

e2e(
  'the documents of a meeting are saved as PDF, marked DRAF until it is locked, and its workbook as XLSX',
  async (env) => {
    const work = await mkdtemp(join(tmpdir(), 'print-'));
    const picks = join(work, 'picks');
    const dataDir = await env.dataDir();
    await run(CLI, ['--data-dir', dataDir, 'demo', '--scale', 'rw']);
    const app = await (await env.driver(dataDir, 'app', { REMBUG_TEST_PICKS: picks })).launch();

    await goHome(app);
    await app.click('[data-testid=meeting-row]');
    await openTab(app, 'print');
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
