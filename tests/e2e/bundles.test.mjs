// End-to-end test of bundles, driving two real apps as two cadres would: the
// RW laptop exports a locked meeting to a "USB stick" folder (the same file
// twice, then encrypted once the office key is set), and the kelurahan laptop
// refuses a tampered copy, imports the real one read-only, once, and starts
// the Musrenbang Kelurahan with the RW's usulan merged.
//
// Native dialogs cannot be driven through WebDriver: debug builds answer them
// from the file named by REMBUG_TEST_PICKS (src-tauri/src/dialogs.rs), which
// the test writes just before each click that opens one.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

import { REPO_ROOT } from './harness.mjs';
import { e2e, goHome, openTab, retype, textsOf } from './steps.mjs';
import { waitFor } from './webdriver.mjs';

const CLI = resolve(REPO_ROOT, process.env.REMBUG_CLI ?? 'target/debug/rembug');
const TEST_TIMEOUT = 180_000;
const BUNDLE_NAME = /^[a-z0-9-]+-rw\d{2}-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\.rembug$/;
/** Any valid X25519 public key will do: the office side is not part of this test. */
const OFFICE_KEY = `rembug-office-x25519-v1:${'4f'.repeat(32)}\n`;

async function bundlesIn(folder) {
  return (await readdir(folder)).sort();
}

/** Answers the next native dialog of the app reading `picks` with `path`. */
async function nextPick(picks, path) {
  await writeFile(picks, `${path}\n`);
}

/** From the home screen: the demo RW's meeting on its Kunci tab. */
async function openDemoMeeting(app) {
  await goHome(app);
  await app.click('[data-testid=meeting-row]');
  await openTab(app, 'lock');
}

/** Exports into `stick`; `unencrypted`: without an office key, agreeing when asked. */
async function exportOnce(app, picks, stick, { unencrypted = false } = {}) {
  await nextPick(picks, stick);
  await app.click('[data-testid=export-bundle-button]');
  if (unencrypted) await app.click('[data-testid=export-unencrypted-confirm]');
  await app.waitFor('[data-testid=export-done]', { timeout: 30_000 });
  return bundlesIn(stick);
}

e2e(
  'a locked meeting travels as a bundle: exported twice identically, tampering refused, imported once read-only',
  async (env) => {
    const work = await mkdtemp(join(tmpdir(), 'bundles-'));
    const stick = await mkdtemp(join(work, 'stick-'));
    const rwPicks = join(work, 'rw-picks');
    const kelurahanPicks = join(work, 'kelurahan-picks');

    // The RW laptop: one RW's demo rembug warga, recorded but still a draft.
    const rwDir = await env.dataDir();
    await promisify(execFile)(CLI, ['--data-dir', rwDir, 'demo', '--scale', 'rw']);
    const rw = await (await env.driver(rwDir, 'rw', { REMBUG_TEST_PICKS: rwPicks })).launch();

    await rw.click('[data-testid=nav-settings]');
    const fingerprint = await rw.waitForText('[data-testid=device-fingerprint]', /^[0-9A-F]{4}(-[0-9A-F]{4}){3}$/);
    await rw.waitFor('[data-testid=office-key-missing]');

    // The demo meeting is complete: lock it as its cadre would.
    await openDemoMeeting(rw);
    await rw.click('[data-testid=lock-meeting]');
    await rw.click('[data-testid=lock-confirm-yes]');
    await rw.waitFor('[data-testid=export-bundle-button]');

    // Cancelling the folder dialog exports nothing (no office key: agreed to first).
    await nextPick(rwPicks, '');
    await rw.click('[data-testid=export-bundle-button]');
    await rw.click('[data-testid=export-unencrypted-confirm]');
    await waitFor(async () => (await readFile(rwPicks, 'utf8')) === '', { message: 'the dialog to be answered' });
    await waitFor(async () => (await (await rw.find('[data-testid=export-bundle-button]')).isEnabled()), {
      message: 'the export button to be ready again',
    });
    assert.deepEqual(await bundlesIn(stick), []);

    const [first] = await exportOnce(rw, rwPicks, stick, { unencrypted: true });
    assert.match(first, BUNDLE_NAME);
    await rw.waitFor('[data-testid=export-unencrypted]');
    const firstBytes = await readFile(join(stick, first));

    // Exporting again writes the same file: same name, same bytes, nothing left beside it.
    assert.deepEqual(await exportOnce(rw, rwPicks, stick, { unencrypted: true }), [first]);
    assert.ok(firstBytes.equals(await readFile(join(stick, first))), 'the second export is byte for byte the first');

    // A key file that is not an office key is refused and changes nothing.
    await rw.click('[data-testid=nav-settings]');
    const notAKey = join(work, 'not-a-key.txt');
    await writeFile(notAKey, 'kunci kantor\n');
    await nextPick(rwPicks, notAKey);
    await rw.click('[data-testid=choose-office-key]');
    await rw.waitForText('[data-testid=office-key-failed]', /Kunci publik kantor tidak sah/);
    await rw.waitFor('[data-testid=office-key-missing]');

    const officeKey = join(work, 'kantor.key');
    await writeFile(officeKey, OFFICE_KEY);
    await nextPick(rwPicks, officeKey);
    await rw.click('[data-testid=choose-office-key]');
    await rw.waitForText('[data-testid=office-key-set]', /Kunci kantor kota terpasang/);
    await rw.screenshot('bundle-settings-office-key');

    // Now the daftar hadir travels encrypted: another file, saying so.
    await openDemoMeeting(rw);
    const files = await exportOnce(rw, rwPicks, stick);
    await rw.waitFor('[data-testid=export-encrypted]');
    await rw.screenshot('bundle-exported');
    assert.equal(files.length, 2, `a second, encrypted bundle beside the first: ${files}`);
    const encrypted = files.find((name) => name !== first);
    assert.match(encrypted, BUNDLE_NAME);

    // A copy changed in one byte, in the middle.
    const tampered = join(work, 'tampered.rembug');
    const bytes = await readFile(join(stick, encrypted));
    bytes[Math.floor(bytes.length / 2)] ^= 0x01;
    await writeFile(tampered, bytes);

    // The kelurahan laptop.
    const kelurahanDir = await env.dataDir();
    const kelurahan = await (
      await env.driver(kelurahanDir, 'kelurahan', { REMBUG_TEST_PICKS: kelurahanPicks })
    ).launch();
    await kelurahan.click('[data-testid=nav-imported]');
    await kelurahan.waitForText('.greeting h2', 'Belum ada bundel');

    await nextPick(kelurahanPicks, tampered);
    await kelurahan.click('[data-testid=import-bundle]');
    await kelurahan.waitForText('[data-testid=import-failed]', /^Bundel ditolak dan tidak disimpan\. \S+/);
    assert.equal((await kelurahan.findAll('[data-testid=imported-row]')).length, 0, 'nothing of it was stored');

    await nextPick(kelurahanPicks, join(stick, encrypted));
    await kelurahan.click('[data-testid=import-bundle]');
    await kelurahan.waitForText('[data-testid=import-done]', /^Bundel diperiksa dan diimpor: \S+, RW \d+\.$/);
    await kelurahan.waitFor('[data-testid=imported-row]');

    // The same bundle again changes nothing.
    await nextPick(kelurahanPicks, join(stick, encrypted));
    await kelurahan.click('[data-testid=import-bundle]');
    await kelurahan.waitForText('[data-testid=import-done]', /sudah pernah diimpor\. Tidak ada yang berubah\.$/);
    assert.equal((await kelurahan.findAll('[data-testid=imported-row]')).length, 1);

    // Read-only, with its origin.
    await kelurahan.click('[data-testid=imported-row]');
    await kelurahan.waitForText('[data-testid=imported-fingerprint]', fingerprint);
    await kelurahan.waitFor('[data-testid=imported-usulan-row]');
    assert.ok((await textsOf(kelurahan, '[data-testid=imported-usulan-row]')).every((row) => /Rp\s?[\d.]+/.test(row)));
    assert.equal((await kelurahan.findAll('input, textarea, select')).length, 0, 'nothing on the page can be edited');
    await kelurahan.screenshot('bundle-imported-meeting');
    const importedUsulan = (await kelurahan.findAll('[data-testid=imported-usulan-row]')).length;

    // This laptop holds no roster from the office: the RW laptop is unknown
    // to it, so its result waits for the cadre, who confirms it.
    await kelurahan.click('[data-testid=nav-imported]');
    await kelurahan.click('[data-testid=open-consolidation]');
    await kelurahan.waitForText('[data-testid=consolidation-summary]', /^0 RW sudah masuk\./);
    await kelurahan.waitForText('[data-testid=consolidation-unconfirmed]', /\(Perangkat tidak dikenal\)/);
    await kelurahan.click('[data-testid=confirm-imported]');

    // The kelurahan cadre merges what has arrived: one RW of three.
    await kelurahan.waitForText('[data-testid=consolidation-summary]', /^1 RW sudah masuk\./);
    await kelurahan.waitForText('[data-testid=consolidation-rws]', /Perangkat tidak dikenal, dikonfirmasi kader/);
    await retype(kelurahan, '[data-testid=rw-count]', '0');
    await kelurahan.click('[data-testid=save-rw-count]');
    await kelurahan.waitFor('#error-rw_count');
    await retype(kelurahan, '[data-testid=rw-count]', '3');
    await kelurahan.click('[data-testid=save-rw-count]');
    await kelurahan.waitForText('[data-testid=consolidation-summary]', /^1 dari 3 RW sudah masuk\./);
    await kelurahan.waitForText('[data-testid=consolidation-missing]', /^Belum masuk: RW \d+(, \d+)* dan \d+\.$/);
    await kelurahan.screenshot('bundle-consolidation');

    await kelurahan.click('[data-testid=start-kelurahan]');
    await retype(kelurahan, '[data-testid=start-kelurahan-form] [name=place]', 'Aula Kelurahan Baros');
    await retype(kelurahan, '[data-testid=start-kelurahan-form] [name=facilitator]', 'Dedi Supriadi');
    await kelurahan.click('[data-testid=start-kelurahan-confirm]');
    await kelurahan.waitFor('[data-testid=meeting-detail]');
    await openTab(kelurahan, 'usulan');
    await kelurahan.waitFor('[data-testid=usulan-origin]');
    const origins = await textsOf(kelurahan, '[data-testid=usulan-origin]');
    assert.equal(origins.length, importedUsulan, 'every RW usulan was merged, each with its origin');
    assert.ok(origins.every((text) => /^Dari RW \d+ · peringkat \d+ di RW$/.test(text)), origins.join(' | '));
  },
  { timeout: TEST_TIMEOUT },
);
