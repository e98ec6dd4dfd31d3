// End-to-end test of sending to the city office: a real `rembug-office`
// started here, a code printed by its own command, and the real app enrolled
// with it in Settings → Kantor as a cadre would, then a meeting locked and
// delivered by the app's background sender, "Terkirim" on the Kirim ke kantor
// screen and in the home list, and the office's tanda terima shown. Then a
// second office's enrollment file, opened from a "USB stick": its other key
// is confirmed with both fingerprints shown before anything changes. And the
// office's answers travelling back: staff ask for a correction in the
// dashboard, the laptop syncs, and the home list and the meeting page show
// the note, the usulan's outcome, and start the correcting revision.
//
// Skipped, saying why, when the office binary was not built
// (`cargo test --workspace --no-run` builds target/debug/rembug-office).

import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

import { freePort, REPO_ROOT } from './harness.mjs';
import { e2e, goHome, openTab, retype } from './steps.mjs';
import { waitFor } from './webdriver.mjs';

const CLI = resolve(REPO_ROOT, process.env.REMBUG_CLI ?? 'target/debug/rembug');
const OFFICE = resolve(REPO_ROOT, process.env.REMBUG_OFFICE ?? 'target/debug/rembug-office');
const TEST_TIMEOUT = 240_000;
const NAME = 'the app enrolls with a real office, locks a meeting and shows it Terkirim with the tanda terima';
const ANSWERS = 'the office asks for a correction and the meeting page shows its note and starts the revision';

const run = promisify(execFile);

/** Runs a command of the office on its data folder, standard input empty; its standard output. */
async function office(data, ...args) {
  const child = spawn(OFFICE, ['--data', data, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks = [];
  const errors = [];
  child.stdout.on('data', (chunk) => chunks.push(chunk));
  child.stderr.on('data', (chunk) => errors.push(chunk));
  const status = await new Promise((done) => child.on('close', done));
  assert.equal(status, 0, `rembug-office ${args.join(' ')}: ${Buffer.concat(errors)}`);
  return Buffer.concat(chunks).toString('utf8');
}

/** A new office folder, initialised (the admin password generated: standard input is empty) and serving plain HTTP on loopback. */
async function startOffice(work, name) {
  const data = join(work, name);
  const made = await office(data, 'init');
  const password = made.match(/^Kata sandi admin admin .*: (\S+)$/m)?.[1];
  const port = await freePort();
  const server = spawn(OFFICE, ['--data', data, 'serve', '--listen', `127.0.0.1:${port}`], { stdio: 'ignore' });
  return { data, url: `http://127.0.0.1:${port}`, port, server, password };
}

/** Resolves once something listens on `port` of the loopback address. */
function listening(port) {
  return new Promise((answer) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      answer(true);
    });
    socket.once('error', () => answer(false));
  });
}

/** The cookies a response sets, as `name=value` pairs for the next request's Cookie header. */
function cookiesOf(response) {
  return response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]);
}

/** The hidden CSRF field of a dashboard page. */
function csrfOf(html) {
  const found = html.match(/name="csrf" value="([^"]+)"/);
  assert.ok(found, 'a page with a CSRF field');
  return found[1];
}

/** Logs in to the dashboard as `name` and answers the session's Cookie header. */
async function staffSession(url, name, password) {
  const page = await fetch(`${url}/masuk`);
  const form = new URLSearchParams({ csrf: csrfOf(await page.text()), nama: name, kata_sandi: password });
  const login = await fetch(`${url}/masuk`, {
    method: 'POST',
    body: form,
    headers: { cookie: cookiesOf(page).join('; ') },
    redirect: 'manual',
  });
  assert.equal(login.status, 303, 'logged in');
  return cookiesOf(login).join('; ');
}

/** Posts a dashboard form on a bundle's page, as staff would submit it. */
async function postOnBundle(url, cookie, sha256, action, fields) {
  const page = await fetch(`${url}/bundel/${sha256}`, { headers: { cookie } });
  assert.equal(page.status, 200);
  const body = new URLSearchParams({ csrf: csrfOf(await page.text()), ...fields });
  const posted = await fetch(`${url}/bundel/${sha256}/${action}`, { method: 'POST', body, headers: { cookie }, redirect: 'manual' });
  assert.equal(posted.status, 303, `${action} saved`);
}

if (!existsSync(OFFICE)) {
  test(NAME, { skip: `${OFFICE} is missing: build the workspace first (cargo test --workspace --no-run)` }, () => {});
  test(ANSWERS, { skip: `${OFFICE} is missing: build the workspace first (cargo test --workspace --no-run)` }, () => {});
} else {
  e2e(
    ANSWERS,
    async (env) => {
      const work = await mkdtemp(join(tmpdir(), 'office-'));
      const started = await startOffice(work, 'office');
      try {
        await waitFor(() => listening(started.port), { timeout: 20_000, message: 'the office to listen' });
        // `init` generated the admin's password and printed it once.
        assert.ok(started.password, 'the admin password init printed');

        // The laptop delivers its locked meeting with the CLI (the same engine as the app's sender).
        const dataDir = await env.dataDir();
        await run(CLI, ['--data-dir', dataDir, 'demo', '--scale', 'rw']);
        const meetings = JSON.parse((await run(CLI, ['--data-dir', dataDir, 'meetings', '--json'])).stdout);
        const locked = meetings.find((meeting) => meeting.status === 'locked');
        const code = (await office(started.data, 'code', '--kelurahan', locked.kelurahan_code)).trim().split('\n').pop();
        await run(CLI, ['--data-dir', dataDir, 'enroll', '--office', started.url, '--code', code]);
        await run(CLI, ['--data-dir', dataDir, 'sync']);
        const outbox = JSON.parse((await run(CLI, ['--data-dir', dataDir, 'outbox', '--json'])).stdout);
        const sha256 = outbox.find((row) => row.meeting_id === locked.id).sha256;
        const record = JSON.parse((await run(CLI, ['--data-dir', dataDir, 'show', locked.id, '--json'])).stdout);
        const usulan = record.public.usulan[0].usulan;

        // Staff ask for a correction and give one usulan its outcome in the dashboard.
        const note = 'Foto daftar hadir RT 03 tidak terbaca';
        const cookie = await staffSession(started.url, 'admin', started.password);
        await postOnBundle(started.url, cookie, sha256, 'tinjau', { keadaan: 'perlu_perbaikan', catatan: note });
        await postOnBundle(started.url, cookie, sha256, 'usulan', { usulan: usulan.id, hasil: 'diakomodir', keterangan: 'DPUPR' });
        await run(CLI, ['--data-dir', dataDir, 'sync']);

        const app = await (await env.driver(dataDir, 'cadre')).launch();
        const row = '[data-testid=meeting-row]';
        await app.waitForText(`${row} [data-testid=review-line]`, `Perlu perbaikan: ${note}`);
        await app.screenshot('answers-home');
        const rows = await app.findAll(row);
        const texts = await Promise.all(rows.map((found) => found.text()));
        await rows[texts.findIndex((text) => text.includes(note))].click();
        await app.waitForText('[data-testid=review-text]', `Perlu perbaikan: ${note}`);

        // Each usulan of the locked meeting shows what became of it.
        await openTab(app, 'usulan');
        await app.waitForText('[data-testid=usulan-outcome]', /Diakomodir: DPUPR \(jawaban kantor\)/);
        await app.screenshot('answers-usulan');

        // The button starts the correcting revision, the note as its reason.
        await app.click('[data-testid=review-revise]');
        await waitFor(async () => (await (await app.find('[data-testid=tab-lock]')).attribute('aria-selected')) === 'true', {
          message: 'the Kunci tab',
        });
        const reason = await (await app.find('[data-testid=revision-reason]')).property('value');
        assert.ok(reason.includes(note), reason);
        await app.click('[data-testid=revise-confirm]');
        await app.waitForText('[data-testid=revision-supersedes]', new RegExp(`mengganti revisi 1: Perbaikan sesuai catatan kantor: ${note}$`));
        await app.screenshot('answers-revision');
      } finally {
        started.server.kill('SIGKILL');
      }
    },
    { timeout: TEST_TIMEOUT },
  );

  e2e(
    NAME,
    async (env) => {
      // The office, and a code for the kelurahan once the laptop's is known.
      const work = await mkdtemp(join(tmpdir(), 'office-'));
      const picks = join(work, 'picks');
      const offices = [];
      try {
        offices.push(await startOffice(work, 'office'));
        const [first] = offices;
        await waitFor(() => listening(first.port), { timeout: 20_000, message: 'the office to listen' });

        // The laptop: one RW's demo data, its current rembug warga still a draft.
        const dataDir = await env.dataDir();
        await run(CLI, ['--data-dir', dataDir, 'demo', '--scale', 'rw']);
        const meetings = JSON.parse((await run(CLI, ['--data-dir', dataDir, 'meetings', '--json'])).stdout);
        const draft = meetings.find((meeting) => meeting.status === 'draft');
        assert.ok(draft, 'the demo has a draft to lock');
        const code = (await office(first.data, 'code', '--kelurahan', draft.kelurahan_code)).trim().split('\n').pop();
        assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

        const app = await (await env.driver(dataDir, 'cadre', { REMBUG_TEST_PICKS: picks })).launch();

        // Settings → Kantor: a wrong code is refused in words, the right one enrolls.
        await app.click('[data-testid=nav-settings]');
        await app.waitFor('[data-testid=office-form]');
        await retype(app, '#field-office_url', first.url);
        await retype(app, '#field-enrollment_code', 'AAAA-AAAA-AAAA');
        await app.click('[data-testid=office-enroll]');
        await app.waitForText('[data-testid=office-failed]', /Kode pendaftaran tidak dikenal/, { timeout: 30_000 });
        await retype(app, '#field-enrollment_code', code);
        await app.click('[data-testid=office-enroll]');
        await app.waitFor('[data-testid=office-enrolled]', { timeout: 30_000 });
        await app.waitForText('[data-testid=office-fingerprint]', /^[0-9A-F]{4}(-[0-9A-F]{4}){3}$/);
        await app.waitForText('[data-testid=office-scope]', `Kelurahan ${draft.kelurahan_name}`);
        // Its key is now the one bundles are encrypted to.
        await app.waitFor('[data-testid=office-key-set]');
        await app.screenshot('office-enrolled');

        // Lock the demo's draft as its cadre would: the sender wakes and delivers it.
        await goHome(app);
        const rows = await app.findAll('[data-testid=meeting-row]');
        await rows[0].click();
        await openTab(app, 'lock');
        await app.click('[data-testid=lock-meeting]');
        await app.click('[data-testid=lock-confirm-yes]');
        await app.waitFor('[data-testid=export-bundle-button]');

        await app.click('[data-testid=nav-outbox]');
        const row = `[data-testid=outbox-row][data-meeting-id="${draft.id}"]`;
        await app.waitFor(`${row}[data-state=delivered]`, { timeout: 90_000 });
        await app.waitForText(`${row} [data-testid=outbox-state]`, 'Terkirim');
        await app.waitForText(
          `${row} [data-testid=outbox-delivered-at]`,
          /^Diterima kantor \w+, \d{1,2} \w+ \d{4} pukul \d{2}\.\d{2} WI(B|TA|T)\.$/,
        );
        await app.screenshot('office-outbox-delivered');

        // The office holds it once, and the tanda terima shows its page.
        const held = JSON.parse(await office(first.data, 'bundles', '--json'));
        assert.equal(held.filter((bundle) => bundle.meeting_id === draft.id).length, 1);
        await app.click(`${row} [data-testid=view-receipt]`);
        await app.waitFor('[data-testid=receipt-preview-page]', { timeout: 30_000 });
        const widths = await app.script(
          'return [...document.querySelectorAll("[data-testid=receipt-preview-page]")].map((img) => img.naturalWidth);',
        );
        assert.deepEqual(widths, [893], 'one A4 page, drawn');
        await app.screenshot('office-tanda-terima');

        // The home list says Terkirim beside Terkunci for the meeting just locked.
        await goHome(app);
        await app.waitForText('[data-testid=meeting-row] [data-testid=delivered-badge]', 'Terkirim');
        const badges = await app.script(
          'return [...document.querySelector("[data-testid=meeting-row]").querySelectorAll(".status")].map((badge) => badge.textContent.trim());',
        );
        assert.deepEqual(badges, ['Terkunci', 'Terkirim']);
        // Its Cetak tab offers the tanda terima beside the meeting's papers.
        await app.click('[data-testid=meeting-row]');
        await openTab(app, 'print');
        await app.waitFor('[data-testid=print-document][data-kind=tanda-terima]');

        // Another office's enrollment file: its key differs, so both
        // fingerprints are shown and nothing changes until the cadre agrees.
        offices.push(await startOffice(work, 'other'));
        const other = offices[1];
        const file = join(work, 'pendaftaran.json');
        await office(other.data, 'code', '--kelurahan', draft.kelurahan_code, '--enrollment-file', file, '--url', other.url);
        await app.click('[data-testid=nav-settings]');
        const before = await app.waitForText('[data-testid=office-fingerprint]', /^[0-9A-F]{4}(-[0-9A-F]{4}){3}$/);
        await writeFile(picks, `${file}\n`);
        await app.click('[data-testid=office-enroll-file]');
        await app.waitFor('[data-testid=office-key-change]', { timeout: 30_000 });
        const current = await app.waitForText('[data-testid=office-key-current]', /^[0-9A-F]{4}(-[0-9A-F]{4}){3}$/);
        const next = await app.waitForText('[data-testid=office-key-new]', /^[0-9A-F]{4}(-[0-9A-F]{4}){3}$/);
        assert.notEqual(current, next);
        assert.equal(await app.waitForText('[data-testid=office-fingerprint]', before), before, 'nothing changed yet');
        await app.screenshot('office-key-change');
        await app.click('[data-testid=office-key-confirm]');
        await app.waitFor('[data-testid=office-saved]', { timeout: 30_000 });
        const after = await app.waitForText('[data-testid=office-fingerprint]', /^[0-9A-F]{4}(-[0-9A-F]{4}){3}$/);
        assert.notEqual(after, before, 'the other office');
        await app.waitForText('[data-testid=office-key-set]', new RegExp(next));
      } finally {
        for (const { server } of offices) server.kill('SIGKILL');
      }
    },
    { timeout: TEST_TIMEOUT },
  );
}
