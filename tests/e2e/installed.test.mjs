// The app as `make test-installer` installed it from the .deb (the binary
// its desktop entry runs): it starts on a fresh data folder and greets a
// new cadre with the first steps, practice included. Runs only under
// tests/installer/test-deb.sh, which sets E2E_INSTALLED and passes the
// installed binary to run.sh.

import { e2e } from './steps.mjs';

if (process.env.E2E_INSTALLED) {
  e2e('installed: the app from the .deb starts and greets a new cadre', async (env) => {
    const app = await (await env.driver(await env.dataDir())).launch();
    await app.waitFor('[data-testid=empty-state]');
    await app.waitFor('[data-testid=practice-start]');
    await app.screenshot('installed-first-start');
  });
}
