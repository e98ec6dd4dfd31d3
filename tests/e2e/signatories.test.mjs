// End-to-end test of Pengaturan → Tanda tangan: a kelurahan's cadre sets who
// signs each stage's papers and the lurah's name and NIP; a wrong NIP is
// refused by its field and nothing is saved; the saved order comes back
// after leaving the screen.

import assert from 'node:assert/strict';

import { e2e, retype, textsOf } from './steps.mjs';

const SIGNERS = (stage) => `[data-testid=signers-${stage}] [data-testid=signer]`;

async function openSignatories(app) {
  await app.click('[data-testid=nav-settings]');
  await app.waitFor('[data-testid=signatories-form]');
}

e2e('signatories: the order per stage and the lurah with an 18-digit NIP are kept, a short NIP refused', async (env) => {
  const app = await (await env.driver(await env.dataDir(), 'app')).launch();
  await openSignatories(app);
  const rembugWarga = await textsOf(app, `${SIGNERS('rembug_warga')} .name`);
  assert.deepEqual(rembugWarga, ['1. Pimpinan rapat', '2. Notulis', '3. Wakil peserta']);
  const kelurahan = await textsOf(app, `${SIGNERS('musrenbang_kelurahan')} .name`);
  assert.ok(kelurahan.some((name) => name.includes('Lurah')), `the kelurahan's papers: ${kelurahan}`);

  // The notulis signs first on a Rembug Warga; the lurah is named.
  await app.click('[data-testid=signers-rembug_warga] [data-signer=notulis] button[aria-label^="Naikkan"]');
  await retype(app, '#field-lurah_name', 'Drs. Asep Saepudin');
  await retype(app, '#field-lurah_nip', '1970');
  await app.click('[data-testid=save-signatories]');
  await app.waitForText('[data-testid=error-lurah_nip]', 'NIP terdiri atas 18 angka, misalnya 19700101 199003 1 005.');
  await app.screenshot('signatories-nip-refused');

  await retype(app, '#field-lurah_nip', '197001011990011001');
  await app.click('[data-testid=save-signatories]');
  await app.waitForText('[data-testid=signatories-form] [role=status]', 'Penanda tangan tersimpan.');
  await app.screenshot('signatories-saved');

  await app.click('[data-testid=nav-home]');
  await openSignatories(app);
  assert.deepEqual(await textsOf(app, `${SIGNERS('rembug_warga')} .name`), [
    '1. Notulis',
    '2. Pimpinan rapat',
    '3. Wakil peserta',
  ]);
  assert.equal(await (await app.find('#field-lurah_name')).property('value'), 'Drs. Asep Saepudin');
  assert.equal(await (await app.find('#field-lurah_nip')).property('value'), '197001011990011001');
});
