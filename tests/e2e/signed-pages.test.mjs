// End-to-end test of the photos of the signed pages (issue 11): on the RW
// laptop the cadre locks the demo meeting, photographs a signed page of the
// berita acara and one of the daftar hadir, sees them ready to send, and
// saves them to a "USB stick" folder beside the meeting's bundle, and
// "Kirim ke kantor" counts their file as waiting; the
// kelurahan laptop imports both files and shows the berita acara's photo
// with the imported meeting (never the daftar hadir's).
//
// Native dialogs are answered through REMBUG_TEST_PICKS (debug builds only).

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

import { REPO_ROOT } from './harness.mjs';
import { e2e, goHome, openTab } from './steps.mjs';

const CLI = resolve(REPO_ROOT, process.env.REMBUG_CLI ?? 'target/debug/rembug');
const TEST_TIMEOUT = 180_000;

/** A 96×64 PNG (a chequered wall above a grey road), small enough to inline. */
const PAGE_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAGAAAABACAIAAABqVuVZAAAAjklEQVR42u3ZIQ7AIBBFQXxvuIZUc2sO0KQ3wFZ1MYiWSZ7ehHE/lKOdaf2+0v56pwACBAgQIECAAAECBAjQAqCdHz9zBxAgQIAAAQIECBAgQIBWABmr1jwgQIAAAQIECBAgQID8i1nzgAABAvQAiqh6CRAgQIAAAQIECJAAAQIECBAgQIAECBAgQIC+0QBsoeZ9vg2sWwAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * A private PNG chunk `pgNo` holding "halaman 2" (with its CRC), put after
 * IHDR to make another whole page: the app drops bytes after IEND and text
 * chunks, so neither would tell two photos apart.
 */
const PAGE_NUMBER_CHUNK = Buffer.from('0000000970674e6f68616c616d616e2032c4fe1bf0', 'hex');

e2e(
  'photos of the signed pages are attached to a locked meeting, ready to send, and reach the kelurahan laptop',
  async (env) => {
    const work = await mkdtemp(join(tmpdir(), 'signed-pages-'));
    const stick = await mkdtemp(join(work, 'stick-'));
    const rwPicks = join(work, 'rw-picks');
    const kelurahanPicks = join(work, 'kelurahan-picks');
    const beritaAcara = join(work, 'berita-acara-1.png');
    await writeFile(beritaAcara, PAGE_PNG);
    const daftarHadir = join(work, 'daftar-hadir-1.png');
    await writeFile(daftarHadir, Buffer.concat([PAGE_PNG.subarray(0, 33), PAGE_NUMBER_CHUNK, PAGE_PNG.subarray(33)]));

    const rwDir = await env.dataDir();
    await promisify(execFile)(CLI, ['--data-dir', rwDir, 'demo', '--scale', 'rw']);
    const rw = await (await env.driver(rwDir, 'rw', { REMBUG_TEST_PICKS: rwPicks })).launch();
    await goHome(rw);
    await rw.click('[data-testid=meeting-row]');
    await openTab(rw, 'lock');
    // A draft offers no place for the photos: they come after the lock.
    await rw.waitFor('[data-testid=lock-meeting]');
    assert.equal((await rw.findAll('[data-testid=signed-pages]')).length, 0);
    await rw.click('[data-testid=lock-meeting]');
    await rw.click('[data-testid=lock-confirm-yes]');

    await rw.waitFor('[data-testid=signed-pages]');
    await rw.waitForText('[data-testid=signed-pages-berita_acara]', /Belum ada foto\./);
    await (await rw.find('[data-testid=signed-page-file-berita_acara]')).sendKeys(beritaAcara);
    await rw.waitForText('[data-testid=signed-pages-berita_acara]', /Halaman 1/);
    await rw.waitForText('[data-testid=signed-pages-ready]', /^1 foto siap dikirim\.$/);
    // The same photo twice is refused, and the count stays.
    await (await rw.find('[data-testid=signed-page-file-berita_acara]')).sendKeys(beritaAcara);
    await rw.waitForText('[data-testid=signed-pages-failed]', /Foto ini sudah dilampirkan\./);
    await (await rw.find('[data-testid=signed-page-file-daftar_hadir]')).sendKeys(daftarHadir);
    await rw.waitForText('[data-testid=signed-pages-daftar_hadir]', /Halaman 1/);
    await rw.waitForText('[data-testid=signed-pages-ready]', /^2 foto siap dikirim\.$/);
    await rw.screenshot('signed-pages-ready');

    // Saved to the stick (no office key: the cadre agrees), with the meeting's bundle.
    await writeFile(rwPicks, `${stick}\n`);
    await rw.click('[data-testid=signed-pages-save]');
    await rw.click('[data-testid=signed-pages] .confirm-box button.danger');
    await rw.waitForText('[data-testid=signed-pages-saved]', /^Foto tersimpan: \S+-halaman-[0-9a-f]{8}\.rembug/);
    await writeFile(rwPicks, `${stick}\n`);
    await rw.click('[data-testid=export-bundle-button]');
    await rw.click('[data-testid=export-unencrypted-confirm]');
    await rw.waitFor('[data-testid=export-done]', { timeout: 30_000 });
    // "Kirim ke kantor" counts the photo file waiting and says when it goes.
    await rw.click('[data-testid=nav-outbox]');
    await rw.waitForText(
      '[data-testid=outbox-photos-count]',
      /^Foto lembar bertanda tangan: 1 berkas menunggu dikirim, 0 terkirim, 0 ditolak\.$/,
    );
    await rw.waitForText(
      '[data-testid=outbox-photos][data-state=not_sent]',
      /^2 foto lembar bertanda tangan dikirim setelah musyawarahnya terkirim\.$/,
    );
    assert.equal((await rw.findAll('[data-testid=outbox-photos]')).length, 1, 'only the meeting with photos');
    await rw.screenshot('signed-pages-outbox');
    const files = (await readdir(stick)).sort();
    assert.equal(files.length, 2, files.join(', '));
    const pagesFile = files.find((name) => name.includes('-halaman-'));
    const meetingFile = files.find((name) => !name.includes('-halaman-'));

    const kelurahanDir = await env.dataDir();
    const kelurahan = await (
      await env.driver(kelurahanDir, 'kelurahan', { REMBUG_TEST_PICKS: kelurahanPicks })
    ).launch();
    await kelurahan.click('[data-testid=nav-imported]');
    // The photos before their meeting: refused, saying what to do.
    await writeFile(kelurahanPicks, `${join(stick, pagesFile)}\n`);
    await kelurahan.click('[data-testid=import-bundle]');
    await kelurahan.waitForText('[data-testid=import-failed]', /Impor dulu bundel musyawarahnya/);
    await writeFile(kelurahanPicks, `${join(stick, meetingFile)}\n`);
    await kelurahan.click('[data-testid=import-bundle]');
    await kelurahan.waitForText('[data-testid=import-done]', /^Bundel diperiksa dan diimpor/);
    await writeFile(kelurahanPicks, `${join(stick, pagesFile)}\n`);
    await kelurahan.click('[data-testid=import-bundle]');
    await kelurahan.waitForText('[data-testid=import-done]', /^Foto lembar bertanda tangan .* disimpan: 1 foto baru\.$/);

    await kelurahan.click('[data-testid=imported-row]');
    await kelurahan.waitForText('[data-testid=imported-signed-pages]', /Berita acara/);
    assert.equal((await kelurahan.findAll('[data-testid=imported-signed-page]')).length, 1, 'the daftar hadir stays out');
    await kelurahan.screenshot('signed-pages-imported');
  },
  { timeout: TEST_TIMEOUT },
);
