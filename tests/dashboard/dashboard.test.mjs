// The office's staff dashboard in a real browser: Debian's chromium driven by
// playwright-core. The office is the built binary (target/debug/rembug-office
// from `cargo test --workspace --no-run`), started here on a free loopback
// port; the bundle is delivered by the real sync client (`rembug demo`,
// `enroll`, `sync`), which also brings staff's review back to the laptop.
// The photos of a meeting's signed papers come on a USB stick as the app
// saves them, made by the `signed_pages_file` test binary. Full-page
// screenshots go to tests/dashboard/artifacts (or $DASHBOARD_ARTIFACTS).
// Run by `make test-dashboard`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '../..');
const officeBin = join(root, 'target/debug/rembug-office');
const rembugBin = join(root, 'target/debug/rembug');
const ADMIN_PASSWORD = 'rahasia-kantor-123';
const STAFF_PASSWORD = 'kata-sandi-petugas';
const ARTIFACTS = resolve(process.env.DASHBOARD_ARTIFACTS ?? join(import.meta.dirname, 'artifacts'));

let dir, device, office, url, browser, delivered, usb;

function run(bin, args, input, env) {
  return execFileSync(bin, args, { input: input ?? '', encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
}

/// The newest build of a test binary (`cargo test --workspace --no-run` names it `NAME-<hash>`).
function testBinary(name) {
  const deps = join(root, 'target/debug/deps');
  const builds = readdirSync(deps)
    .filter((file) => file.startsWith(`${name}-`) && !file.includes('.'))
    .map((file) => join(deps, file))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  assert.ok(builds.length > 0, `${name} is missing: run cargo test --workspace --no-run first`);
  return builds[0];
}

/// A full-page screenshot into the artifacts folder, for a person to look at.
async function screenshot(page, name) {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

async function freePort() {
  const server = createServer();
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address();
  await new Promise((done) => server.close(done));
  return port;
}

async function waitForPort(port) {
  for (let tries = 0; tries < 200; tries++) {
    const open = await new Promise((done) => {
      const socket = connect(port, '127.0.0.1', () => { socket.end(); done(true); });
      socket.on('error', () => done(false));
    });
    if (open) return;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error('the office did not start');
}

before(async () => {
  for (const bin of [officeBin, rembugBin]) {
    assert.ok(existsSync(bin), `${bin} is missing: run cargo test --workspace --no-run first`);
  }
  dir = mkdtempSync(join(tmpdir(), 'rembug-dashboard-'));
  const officeData = join(dir, 'office');
  device = join(dir, 'device');
  run(officeBin, ['--data', officeData, 'init'], ADMIN_PASSWORD);
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  office = spawn(officeBin, ['--data', officeData, 'serve', '--listen', `127.0.0.1:${port}`], { stdio: 'ignore' });
  await waitForPort(port);

  // A cadre's laptop in its second year: last year's meeting is locked.
  run(rembugBin, ['--data-dir', device, 'demo', '--scale', 'rw', '--seed', '3']);
  const meetings = JSON.parse(run(rembugBin, ['--data-dir', device, 'meetings', '--json']));
  const locked = meetings.find((meeting) => meeting.status === 'locked');
  const code = run(officeBin, ['--data', officeData, 'code', '--kelurahan', locked.kelurahan_code]).trim().split('\n').pop().trim();
  run(rembugBin, ['--data-dir', device, 'enroll', '--office', url, '--code', code]);
  run(rembugBin, ['--data-dir', device, 'sync']);
  delivered = locked;

  // Another cadre's laptop, enrolled, whose locked meeting goes to the office on a USB stick.
  const carried = join(dir, 'usb-device');
  run(rembugBin, ['--data-dir', carried, 'demo', '--scale', 'rw', '--seed', '5']);
  const own = JSON.parse(run(rembugBin, ['--data-dir', carried, 'meetings', '--json'])).find((m) => m.status === 'locked');
  const usbCode = run(officeBin, ['--data', officeData, 'code', '--kelurahan', own.kelurahan_code]).trim().split('\n').pop().trim();
  run(rembugBin, ['--data-dir', carried, 'enroll', '--office', url, '--code', usbCode]);
  const stick = join(dir, 'flashdisk.rembug');
  run(rembugBin, ['--data-dir', carried, 'export', own.id, '--out', stick]);
  // The photos of its signed papers, saved to the stick beside it.
  const pages = run(testBinary('signed_pages_file'), [], '', {
    REMBUG_PAGES_DATA_DIR: carried,
    REMBUG_PAGES_MEETING: own.id,
    REMBUG_PAGES_OUT: dir,
  }).trim();
  usb = { device: carried, meeting: own, file: stick, pages };
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
});

after(async () => {
  await browser?.close();
  office?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/// A new browser context (its own cookies), failing the test on any dialog:
/// an alert() would be a script that ran.
async function newPage(width = 1366, height = 768) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  page.on('dialog', (dialog) => { throw new Error(`a script ran: ${dialog.message()}`); });
  return page;
}

/// Uploads `file` on /unggah as staff do, answering the office's response to the form.
async function upload(page, file) {
  await page.goto(`${url}/unggah`);
  await page.setInputFiles('#berkas', file);
  const [answer] = await Promise.all([page.waitForNavigation(), page.click('text=Unggah dan periksa')]);
  return answer;
}

async function logIn(page, name, password) {
  await page.goto(`${url}/masuk`);
  await page.fill('#nama', name);
  await page.fill('#kata_sandi', password);
  await page.click('button[type=submit]');
}

test('a wrong password is refused; the right one opens the dashboard with a new session id', async () => {
  const page = await newPage();
  // Session fixation: an id planted before login is never the session.
  await page.context().addCookies([{ name: 'rembug_sesi', value: 'a'.repeat(64), url }]);
  await logIn(page, 'admin', 'salah');
  assert.match(await page.textContent('[role=alert]'), /Nama akun atau kata sandi salah/);
  await logIn(page, 'admin', ADMIN_PASSWORD);
  assert.match(await page.textContent('h1'), /Rekap pengiriman/);
  const session = (await page.context().cookies()).find((cookie) => cookie.name === 'rembug_sesi');
  assert.notEqual(session.value, 'a'.repeat(64));
  assert.ok(session.httpOnly);
  assert.equal(session.sameSite, 'Strict');
  await page.context().close();
});

test('a form without its CSRF token is refused', async () => {
  const page = await newPage();
  await logIn(page, 'admin', ADMIN_PASSWORD);
  const refused = await page.request.post(`${url}/keluar`, { form: { csrf: '' }, maxRedirects: 0 });
  assert.equal(refused.status(), 403);
  // Still logged in: the refused form changed nothing.
  await page.goto(`${url}/`);
  assert.match(await page.textContent('h1'), /Rekap pengiriman/);
  await page.context().close();
});

test('the grid shows the delivered RW and a missing one; staff review the bundle', async () => {
  const page = await newPage();
  await logIn(page, 'admin', ADMIN_PASSWORD);
  const year = delivered.planning_year;
  const kecamatan = delivered.kelurahan_code.split('.').slice(0, 3).join('.');
  await page.goto(`${url}/?tahun=${year}&kecamatan=${kecamatan}`);
  const row = page.locator('tr', { hasText: delivered.kelurahan_code });
  await row.locator('input[name=jumlah]').fill(String(delivered.rw + 1));
  await row.locator('form[action="/rw"] button').click();
  await page.goto(`${url}/?tahun=${year}&kecamatan=${kecamatan}&status=belum`);
  const missing = `RW ${String(delivered.rw + 1).padStart(2, '0')}`;
  assert.equal(await page.locator('tr', { hasText: delivered.kelurahan_code }).locator('.belum', { hasText: missing }).count(), 1);

  await page.goto(`${url}/?tahun=${year}&kecamatan=${kecamatan}`);
  const rw = `RW ${String(delivered.rw).padStart(2, '0')}`;
  await page.locator('a.rw', { hasText: rw }).click();
  assert.match(await page.textContent('h1'), /Rembug Warga/);
  await page.selectOption('#keadaan', 'perlu_perbaikan');
  await page.fill('#catatan', 'Foto daftar hadir kabur <b>tolong</b>');
  await page.click('text=Simpan tinjauan');
  assert.match(await page.textContent('main'), /Perlu perbaikan: Foto daftar hadir kabur <b>tolong<\/b>/);
  assert.equal(await page.locator('main b').count(), 0, 'the note is text, never markup');
  const usulan = page.locator('form[action$="/usulan"]').first();
  const usulanId = await usulan.locator('input[name=usulan]').inputValue();
  await usulan.locator('select[name=hasil]').selectOption('dialihkan');
  await usulan.locator('input[name=keterangan]').fill('Dana kelurahan');
  await usulan.locator('button[type=submit]').click();
  assert.match(await page.textContent('main'), /Dialihkan: Dana kelurahan/);

  // The cadre's next sync brings the note and the outcome back to the laptop.
  run(rembugBin, ['--data-dir', device, 'sync']);
  const outbox = JSON.parse(run(rembugBin, ['--data-dir', device, 'outbox', '--json']));
  const answered = outbox.find((row) => row.meeting_id === delivered.id);
  assert.equal(answered.review_state, 'perlu_perbaikan');
  assert.equal(answered.review_note, 'Foto daftar hadir kabur <b>tolong</b>');
  assert.deepEqual(answered.outcomes, [
    { usulan_id: usulanId, outcome: 'dialihkan', detail: 'Dana kelurahan', source: 'office' },
  ]);
  const listed = run(rembugBin, ['--data-dir', device, 'outbox']);
  assert.match(listed, /Tinjauan kantor: Perlu perbaikan: Foto daftar hadir kabur <b>tolong<\/b>/);

  await page.click('text=Buka daftar hadir');
  assert.match(await page.textContent('h1'), /Daftar hadir/);
  await page.goto(`${url}/log`);
  assert.match(await page.textContent('main'), /tinjau_perlu_perbaikan/);
  assert.match(await page.textContent('main'), /lihat_daftar_hadir/);
  await page.context().close();
});

test('names with markup are text, and staff of another kecamatan are refused the bundle by URL (at 360 px)', async () => {
  const admin = await newPage();
  await logIn(admin, 'admin', ADMIN_PASSWORD);
  await admin.goto(`${url}/akun`);
  const own = delivered.kelurahan_code.split('.').slice(0, 3).join('.');
  const other = (await admin.locator('#kecamatan option').evaluateAll((options) => options.map((o) => o.value)))
    .find((value) => value && value !== own);
  const name = '<img src=x onerror=alert(1)>';
  await admin.fill('#nama', name);
  await admin.fill('#kata_sandi', STAFF_PASSWORD);
  await admin.selectOption('#peran', 'staf');
  await admin.selectOption('#kecamatan', other);
  await admin.click('text=Buat akun');
  assert.equal(await admin.locator('main img').count(), 0);
  assert.equal(await admin.locator('td', { hasText: name }).count(), 1);
  await admin.goto(`${url}/?tahun=${delivered.planning_year}&kecamatan=${own}`);
  const href = await admin.locator('a.rw').first().getAttribute('href');
  await admin.context().close();

  const staff = await newPage(360, 740);
  await logIn(staff, name, STAFF_PASSWORD);
  assert.match(await staff.textContent('h1'), /Rekap pengiriman/);
  const width = await staff.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `the page fits 360 px (scrollWidth ${width})`);
  const answer = await staff.goto(`${url}${href}`);
  assert.equal(answer.status(), 403);
  assert.match(await staff.textContent('main'), /di luar kecamatan Anda/);
  await staff.context().close();
});

test('staff upload a bundle brought on a USB stick; its receipt file marks the meeting delivered on the laptop', async () => {
  const page = await newPage(360, 740);
  await logIn(page, 'admin', ADMIN_PASSWORD);
  await page.click('text=Unggah bundel');
  assert.match(await page.textContent('h1'), /Unggah bundel dari flashdisk/);
  // The photos of the signed papers before their meeting's bundle: refused, nothing kept.
  const early = await upload(page, usb.pages);
  assert.equal(early.status(), 422);
  assert.match(await page.textContent('[role=alert]'), /Kantor belum menyimpan bundel musyawarah \(revisi 1\)/);
  // The check's code only small, for support; the sentence is Indonesian.
  assert.equal(await page.textContent('[role=alert] small.kode'), 'kode: revision_unknown');
  await screenshot(page, 'unggah-foto-sebelum-bundel-360');
  await page.setInputFiles('#berkas', usb.file);
  await page.click('text=Unggah dan periksa');
  assert.match(await page.textContent('main'), /Bundel diterima dan disimpan/);
  // The kelurahan by its name, its code in brackets.
  const kelurahan = new RegExp(`Kelurahan ${usb.meeting.kelurahan_name}, Kecamatan [^,(]+ \\(${usb.meeting.kelurahan_code.replaceAll('.', '\\.')}\\)`);
  assert.match(await page.textContent('main'), kelurahan);
  await screenshot(page, 'unggah-bundel-diterima-360');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `the page fits 360 px (scrollWidth ${width})`);

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Unduh berkas tanda terima')]);
  assert.equal(download.suggestedFilename(), `tanda-terima-${sha256(readFileSync(usb.file)).slice(0, 12)}.json`);
  assert.match(await page.textContent('main'), new RegExp(download.suggestedFilename().replaceAll('.', '\\.')), 'the page names the file');
  const saved = join(dir, download.suggestedFilename());
  await download.saveAs(saved);
  assert.equal(JSON.parse(readFileSync(saved, 'utf8')).kind, 'rembug-tanda-terima');

  // Brought twice: the same receipt.
  await page.goto(`${url}/unggah`);
  await page.setInputFiles('#berkas', usb.file);
  await page.click('text=Unggah dan periksa');
  assert.match(await page.textContent('main'), /sudah menerima bundel ini sebelumnya/);
  await page.goto(`${url}/log`);
  assert.match(await page.textContent('main'), /unggah_bundel/);
  await page.context().close();

  // The cadre opens the receipt file: the meeting is delivered, as after a sync.
  assert.match(run(rembugBin, ['--data-dir', usb.device, 'receipt', saved]), /kini tercatat terkirim/);
  const outbox = JSON.parse(run(rembugBin, ['--data-dir', usb.device, 'outbox', '--json']));
  assert.equal(outbox.find((entry) => entry.meeting_id === usb.meeting.id).state, 'delivered');
});

test('staff upload the photos of the signed papers after their bundle, see them on the meeting page and save their receipt', async () => {
  const page = await newPage();
  await logIn(page, 'admin', ADMIN_PASSWORD);
  await page.goto(`${url}/unggah`);
  await screenshot(page, 'unggah-formulir');

  // A copy cut short on the way: refused with what to do, nothing kept.
  const cut = join(dir, 'terpotong-halaman.rembug');
  const photos = readFileSync(usb.pages);
  writeFileSync(cut, photos.subarray(0, photos.length >> 1));
  const refused = await upload(page, cut);
  assert.equal(refused.status(), 422);
  assert.match(await page.textContent('[role=alert]'), /isinya tidak dapat dibaca.*terpotong.*Tidak ada yang disimpan.*Berkas yang ditolak: terpotong-halaman\.rembug/);
  assert.doesNotMatch(await page.textContent('[role=alert]'), /pemeriksaan \(/, 'no English code in the sentence');
  assert.match(await page.textContent('[role=alert] small.kode'), /^kode: [a-z_]+$/);
  await screenshot(page, 'unggah-berkas-rusak');

  const stored = await upload(page, usb.pages);
  assert.equal(stored.status(), 201);
  assert.match(await page.textContent('[role=status]'), /Foto lembar bertanda tangan diterima dan disimpan/);
  assert.match(await page.textContent('main'), /4 foto lembar bertanda tangan/);
  await screenshot(page, 'unggah-foto-diterima');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Unduh berkas tanda terima')]);
  // Its own name: beside the bundle's tanda-terima-….json on the stick, neither overwrites the other.
  assert.equal(download.suggestedFilename(), `tanda-terima-foto-${sha256(photos).slice(0, 12)}.json`);
  const saved = join(dir, download.suggestedFilename());
  await download.saveAs(saved);
  const receipt = JSON.parse(readFileSync(saved, 'utf8'));
  assert.equal(receipt.kind, 'rembug-tanda-terima');
  assert.equal(JSON.parse(receipt.receipt.body).sha256, sha256(photos), 'the receipt is of the photos file');

  // The same file again: the same receipt.
  const again = await upload(page, usb.pages);
  assert.equal(again.status(), 200);
  assert.match(await page.textContent('[role=status]'), /sudah menerima foto ini sebelumnya/);
  await screenshot(page, 'unggah-foto-kedua-kali');
  const href = await page.locator('a', { hasText: 'Unduh berkas tanda terima' }).getAttribute('href');
  const second = await page.request.get(`${url}${href}`);
  assert.equal(second.status(), 200);
  assert.equal(second.headers()['content-type'], 'application/json');
  assert.equal(second.headers()['content-disposition'], `attachment; filename="${download.suggestedFilename()}"`);
  assert.deepEqual(await second.body(), readFileSync(saved), 'byte for byte the first receipt');

  // The meeting's page: the papers in order; the berita acara's and daftar usulan's
  // photos load, the daftar hadir's (personal data) open only on purpose, and logged.
  await page.click('text=Lihat fotonya di halaman musyawarah');
  assert.match(await page.textContent('h1'), /Rembug Warga/);
  assert.deepEqual(await page.locator('ul.halaman li > span').allTextContents(), [
    'Berita acara halaman 1', 'Daftar hadir halaman 1', 'Daftar hadir halaman 2', 'Daftar usulan halaman 1',
  ]);
  const images = page.locator('ul.halaman img');
  assert.deepEqual(await images.evaluateAll((all) => all.map((img) => img.alt)), ['Berita acara halaman 1', 'Daftar usulan halaman 1']);
  for (const image of await images.all()) {
    await image.scrollIntoViewIfNeeded();
    const width = await image.evaluate(async (img) => { await img.decode(); return img.naturalWidth; });
    assert.equal(width, 1240, `${await image.getAttribute('alt')} is shown`);
  }
  assert.equal(await page.locator('ul.halaman a.pribadi').count(), 2);
  await screenshot(page, 'bundel-foto-lembar');
  const meetingUrl = page.url();
  await page.goto(`${url}/log`);
  assert.doesNotMatch(await page.textContent('main'), /lihat_lembar_daftar_hadir/, 'no personal page seen yet');
  await page.goto(meetingUrl);
  const [personal] = await Promise.all([page.waitForNavigation(), page.click('a.pribadi >> nth=0')]);
  assert.equal(personal.status(), 200);
  assert.equal(personal.headers()['content-type'], 'image/jpeg');
  assert.equal(await page.evaluate(() => document.images[0].naturalWidth), 1240, 'the daftar hadir page, decrypted');
  await page.goto(meetingUrl);
  await page.setViewportSize({ width: 360, height: 740 });
  await screenshot(page, 'bundel-foto-lembar-360');
  const narrow = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(narrow <= 360, `the page fits 360 px (scrollWidth ${narrow})`);
  await page.setViewportSize({ width: 1366, height: 768 });
  const [fromMeeting] = await Promise.all([page.waitForEvent('download'), page.click('text=Unduh berkas tanda terima foto')]);
  const savedAgain = join(dir, 'dari-halaman-musyawarah.json');
  await fromMeeting.saveAs(savedAgain);
  assert.deepEqual(readFileSync(savedAgain), readFileSync(saved), 'the meeting page offers the same receipt');
  await page.goto(`${url}/log`);
  assert.match(await page.textContent('main'), /unggah_foto_lembar/);
  assert.match(await page.textContent('main'), /lihat_lembar_daftar_hadir/);
  await page.context().close();

  // The cadre opens the receipt: the photos are delivered.
  assert.match(run(rembugBin, ['--data-dir', usb.device, 'receipt', saved]), /4 foto lembar bertanda tangan .* kini tercatat terkirim/);
});

test('the city at a glance and the usulan export work at 360 px', async () => {
  const page = await newPage(360, 740);
  await logIn(page, 'admin', ADMIN_PASSWORD);
  await page.click('text=Ringkasan kota');
  assert.match(await page.textContent('h1'), /Ringkasan kota/);
  assert.ok((await page.locator('svg.grafik').count()) > 0, 'charts are drawn');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `the page fits 360 px (scrollWidth ${width})`);
  await page.locator('table a').first().click();
  assert.match(await page.textContent('h1'), /Musyawarah di balik angka/);
  assert.ok((await page.locator('a[href^="/bundel/"]').count()) > 0, 'the meetings behind the figure');

  await page.goto(`${url}/ekspor`);
  await page.fill('#tahun', String(delivered.planning_year));
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Unduh XLSX')]);
  assert.equal(download.suggestedFilename(), `usulan-kota-${delivered.planning_year}.xlsx`);
  const saved = join(dir, download.suggestedFilename());
  await download.saveAs(saved);
  assert.equal(readFileSync(saved).subarray(0, 2).toString(), 'PK', 'a workbook (a ZIP)');
  await page.context().close();
});
