// End-to-end test of backups and of privacy at the edges, as a cadre meets
// them: the home screen reminds that locked meetings are in no backup, one
// click backs them up to a "USB stick" folder (whose manifest lists every
// file with its hash); exporting without an office key asks first; changing
// the office key shows both fingerprints; and restoring the backup warns,
// then brings the data folder back as it was while the app stays open.
//
// Native dialogs are answered from the file named by REMBUG_TEST_PICKS
// (src-tauri/src/dialogs.rs), written just before each click that opens one.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

import { REPO_ROOT } from './harness.mjs';
import { e2e, goHome, openTab } from './steps.mjs';

const CLI = resolve(REPO_ROOT, process.env.REMBUG_CLI ?? 'target/debug/rembug');
const TEST_TIMEOUT = 180_000;
const FINGERPRINT = /[0-9A-F]{4}(?:-[0-9A-F]{4}){3}/;
const officeKey = (byte) => `rembug-office-x25519-v1:${byte.repeat(32)}\n`;

/** Answers the next native dialog of the app with `path`. */
async function nextPick(picks, path) {
  await writeFile(picks, `${path}\n`);
}

/** The fingerprint the settings show for the office key set now. */
async function officeKeyFingerprint(app) {
  const text = await app.waitForText('[data-testid=office-key-set]', /Kunci kantor kota terpasang/);
  return FINGERPRINT.exec(text)[0];
}

async function chooseOfficeKey(app, picks, file) {
  await nextPick(picks, file);
  await app.click('[data-testid=choose-office-key]');
}

e2e(
  'backups: the reminder backs up to a stick, sealing unencrypted and changing the office key ask, a restore warns and brings the data back',
  async (env) => {
    const work = await mkdtemp(join(tmpdir(), 'backup-'));
    const stick = await mkdtemp(join(work, 'stick-'));
    const picks = join(work, 'picks');
    const dataDir = await env.dataDir();
    try {
      // Last year's demo meetings are locked; this year's are drafts.
      await promisify(execFile)(CLI, ['--data-dir', dataDir, 'demo', '--scale', 'rw']);
      const app = await (await env.driver(dataDir, 'app', { REMBUG_TEST_PICKS: picks })).launch();

      await app.waitForText(
        '[data-testid=backup-reminder-text]',
        /^Ada \d+ musyawarah terkunci yang belum pernah dicadangkan\./,
      );
      await app.screenshot('backup-reminder');
      await nextPick(picks, stick);
      await app.click('[data-testid=backup-reminder] [data-testid=back-up-button]');
      await app.waitFor('[data-testid=back-up-done]', { timeout: 30_000 });
      await app.waitForAbsent('[data-testid=backup-reminder-text]');

      const [backup, ...others] = await readdir(stick);
      assert.deepEqual(others, [], 'one backup folder, nothing half-written beside it');
      assert.match(backup, /^rembug-backup-\d{4}-\d{2}-\d{2}T\d{6}Z$/);
      const manifest = JSON.parse(await readFile(join(stick, backup, 'manifest.json'), 'utf8'));
      assert.equal(manifest.format, 'rembug-backup');
      const paths = manifest.files.map((file) => file.path);
      assert.ok(paths.includes('rembug.sqlite3') && paths.includes('device.key'), paths.join(', '));
      assert.ok(manifest.files.every((file) => /^[0-9a-f]{64}$/.test(file.sha256)));

      // This year's meeting, locked after the backup.
      await goHome(app);
      await app.click('[data-testid=meeting-row]');
      await openTab(app, 'lock');
      await app.click('[data-testid=lock-meeting]');
      await app.click('[data-testid=lock-confirm-yes]');

      // No office key: the app asks before writing anything; Batal writes nothing.
      await app.click('[data-testid=export-bundle-button]');
      await app.waitForText('[data-testid=export-unencrypted-ask]', /nomor HP, dan tanda tangan warga/);
      await app.screenshot('export-unencrypted-ask');
      await app.click('[data-testid=export-unencrypted-cancel]');
      await app.waitForAbsent('[data-testid=export-unencrypted-ask]');
      assert.deepEqual(await readdir(stick), [backup]);
      await nextPick(picks, stick);
      await app.click('[data-testid=export-bundle-button]');
      await app.click('[data-testid=export-unencrypted-confirm]');
      await app.waitFor('[data-testid=export-done]', { timeout: 30_000 });
      await app.waitFor('[data-testid=export-unencrypted]');
      assert.equal((await readdir(stick)).filter((name) => name.endsWith('.rembug')).length, 1);

      // The newly locked meeting is in no backup: the home screen says so.
      await goHome(app);
      await app.waitForText('[data-testid=backup-reminder-text]', /^Ada 1 musyawarah yang dikunci sesudah cadangan terakhir/);

      // The office key: a first key is kept, the same key changes nothing, a
      // different one waits until the cadre compared both fingerprints.
      await app.click('[data-testid=nav-settings]');
      const [keyA, keyB] = [join(work, 'kantor-a.key'), join(work, 'kantor-b.key')];
      await writeFile(keyA, officeKey('4f'));
      await writeFile(keyB, officeKey('5a'));
      await chooseOfficeKey(app, picks, keyA);
      const first = await officeKeyFingerprint(app);
      await chooseOfficeKey(app, picks, keyA);
      await app.waitForText('[data-testid=office-key-notice]', /Tidak ada yang berubah\.$/);
      await chooseOfficeKey(app, picks, keyB);
      await app.waitForText('[data-testid=office-key-current]', first);
      const second = await app.waitForText('[data-testid=office-key-chosen]', FINGERPRINT);
      assert.notEqual(second, first);
      await app.screenshot('office-key-replace-ask');
      await app.click('[data-testid=office-key-keep]');
      assert.equal(await officeKeyFingerprint(app), first, 'keeping the old key changes nothing');
      await chooseOfficeKey(app, picks, keyB);
      await app.click('[data-testid=office-key-confirm]');
      await app.waitForText('[data-testid=office-key-notice]', /sudah diganti/);
      assert.equal(await officeKeyFingerprint(app), second);

      // Restoring: checked, explained, confirmed, then the folder as it was
      // backed up, with the app still open.
      await nextPick(picks, join(stick, backup));
      await app.click('[data-testid=restore-choose]');
      await app.waitForText('[data-testid=restore-holds]', /dibuat .+ dan berisi \d+ musyawarah/);
      await app.waitForText('[data-testid=restore-replaces]', /^Semua data di laptop ini \(\d+ musyawarah/);
      await app.screenshot('restore-ask');
      await app.click('[data-testid=restore-confirm]');
      await app.waitFor('[data-testid=restore-done]', { timeout: 30_000 });
      await app.click('[data-testid=restore-reload]');
      await app.waitFor('[data-testid=meeting-row]', { timeout: 20_000 });
      const row = await (await app.find('[data-testid=meeting-row]')).text();
      assert.match(row, /Draf/, 'the meeting locked after the backup is a draft again');
      await app.waitForAbsent('[data-testid=backup-reminder]');
      await app.click('[data-testid=nav-settings]');
      await app.waitFor('[data-testid=office-key-missing]');
      const kept = (await readdir(dirname(dataDir))).filter((name) => name.startsWith(`${basename(dataDir)}-before-restore-`));
      assert.equal(kept.length, 1, 'the replaced data folder is kept beside it');
    } finally {
      for (const name of await readdir(dirname(dataDir))) {
        if (name.startsWith(`${basename(dataDir)}-before-restore-`)) {
          await rm(join(dirname(dataDir), name), { recursive: true, force: true });
        }
      }
      await rm(work, { recursive: true, force: true });
    }
  },
  { timeout: TEST_TIMEOUT },
);
