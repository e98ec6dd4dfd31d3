// Starting and stopping the real Rembug app for the end-to-end tests.
//
// The chain is: this process -> tauri-driver -> WebKitWebDriver -> the app.
// The app inherits its environment from WebKitWebDriver, which tauri-driver
// starts once, when tauri-driver itself starts, with tauri-driver's own
// environment. The W3C capabilities cannot carry environment variables
// (`webkitgtk:browserOptions` has only `binary` and `args`). So the data
// folder (REMBUG_DATA_DIR) is fixed per tauri-driver process: one
// `AppDriver` = one tauri-driver = one data folder. Quitting the app (DELETE
// /session) and starting it again (POST /session) on the same AppDriver
// reopens the same data folder; a test that wants a fresh folder starts a new
// AppDriver. Two AppDrivers on the same folder run two app processes side by
// side, which is how the single-instance test observes the second window.

import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, readlink, realpath, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

import { Session, request, waitFor } from './webdriver.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(HERE, '..', '..');
/** Screenshots and logs: tests/e2e/artifacts, or $E2E_ARTIFACTS. */
export const ARTIFACTS = resolve(process.env.E2E_ARTIFACTS ?? join(HERE, 'artifacts'));

/** The app under test: $REMBUG_APP, or the debug build. */
export const APP_PATH = resolve(REPO_ROOT, process.env.REMBUG_APP ?? 'target/debug/rembug-desktop');
const TAURI_DRIVER = process.env.TAURI_DRIVER ?? 'tauri-driver';

/** The window size every test runs at: the cadre's laptop screen. */
export const WINDOW = { width: 1366, height: 768 };

// Bounded waits. Generous for a loaded 2-core machine, still far below the
// suite's budget.
const DRIVER_READY_MS = 20_000;
const APP_START_MS = 30_000;
const APP_EXIT_MS = 15_000;

export async function newDataDir() {
  return mkdtemp(join(tmpdir(), 'rembug-e2e-'));
}

export async function removeDataDir(path) {
  if (process.env.E2E_KEEP_DATA) return;
  await rm(path, { recursive: true, force: true });
}

/** A TCP port that was free a moment ago (the OS picks it). */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** One tauri-driver (and its WebKitWebDriver) bound to one data folder. */
export class AppDriver {
  constructor({ dataDir, name, env = {} }) {
    this.dataDir = dataDir;
    this.name = name;
    /** More environment for the app (e.g. REMBUG_TEST_PICKS). */
    this.env = env;
    this.child = null;
    this.baseUrl = null;
    /** The apps started by this driver and not yet quit. */
    this.apps = new Set();
  }

  static async start(options) {
    const driver = new AppDriver(options);
    await driver.#start();
    return driver;
  }

  async #start() {
    await mkdir(ARTIFACTS, { recursive: true });
    let lastError;
    // Ports are picked free, but another process may take one between the
    // check and tauri-driver's bind: then try again with new ones.
    for (let attempt = 1; attempt <= 3; attempt++) {
      const [port, nativePort] = [await freePort(), await freePort()];
      if (port === nativePort) continue;
      const log = createWriteStream(join(ARTIFACTS, `${this.name}-driver.log`), { flags: 'a' });
      const child = spawn(TAURI_DRIVER, ['--port', String(port), '--native-port', String(nativePort)], {
        env: { ...process.env, ...this.env, REMBUG_DATA_DIR: this.dataDir },
        // Its own process group, so stop() reaches WebKitWebDriver and the
        // app too, however tauri-driver itself ends.
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.pipe(log);
      child.stderr.pipe(log);
      let exited = null;
      child.on('exit', (code, signal) => {
        exited = { code, signal };
      });
      child.on('error', (error) => {
        exited = { error };
      });
      this.child = child;
      this.baseUrl = `http://127.0.0.1:${port}`;
      try {
        // /status goes through tauri-driver to WebKitWebDriver: ready means both listen.
        await waitFor(
          async () => {
            if (exited) throw new Error(`tauri-driver exited: ${JSON.stringify(exited)}`);
            const status = await request(this.baseUrl, 'GET', '/status', undefined, { timeoutMs: 2_000 });
            return status?.ready === true;
          },
          { timeout: DRIVER_READY_MS, interval: 200, message: `tauri-driver on port ${port} to be ready` },
        );
        return;
      } catch (error) {
        lastError = error;
        await this.#killGroup();
        if (exited?.error) break; // not installed: no point retrying
      }
    }
    throw lastError;
  }

  /**
   * Starts the app (a new WebDriver session), sizes its window like the
   * cadre's laptop and waits for its first screen: the main screen
   * (`expect: 'ready'`) or the startup error screen (`expect: 'startup-error'`).
   */
  async launch({ expect = 'ready' } = {}) {
    const before = new Set(await appPids(this.dataDir));
    const session = await Session.create(
      this.baseUrl,
      { capabilities: { alwaysMatch: { 'tauri:options': { application: APP_PATH } } } },
      { timeoutMs: APP_START_MS },
    );
    const app = new App(this, session);
    this.apps.add(app);
    // The app process this session started: the one that was not there before.
    app.pid = await waitFor(async () => (await appPids(this.dataDir)).find((p) => !before.has(p)), {
      timeout: APP_START_MS,
      message: `the app process on ${this.dataDir} (is ${APP_PATH} the binary that runs?)`,
    });
    await session.setWindowRect(WINDOW);
    await app.waitForStartup(expect);
    return app;
  }

  /** Ends the sessions still open, then tauri-driver and everything it started. */
  async stop() {
    for (const app of this.apps) {
      await app.session.delete().catch(() => {});
    }
    this.apps.clear();
    await this.#killGroup();
    // Belt and braces: an app that left the group must not keep the folder locked.
    for (const pid of await appPids(this.dataDir)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  async #killGroup() {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      // tauri-driver is gone, but its group (WebKitWebDriver, the app) may not be.
      if (child?.pid) signalGroup(child.pid, 'SIGKILL');
      return;
    }
    const exited = new Promise((done) => child.once('exit', done));
    // SIGTERM: tauri-driver kills WebKitWebDriver itself, then exits.
    signalGroup(child.pid, 'SIGTERM');
    const timedOut = await Promise.race([exited.then(() => false), sleep(5_000).then(() => true)]);
    signalGroup(child.pid, 'SIGKILL');
    if (timedOut) await Promise.race([exited, sleep(2_000)]);
  }
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already empty
  }
}

/** One running app window, driven through a WebDriver session. */
export class App {
  constructor(driver, session) {
    this.driver = driver;
    this.session = session;
    this.pid = null;
  }

  /**
   * Waits until the app has decided how it started: the main screen
   * (`expect: 'ready'`) or the startup error screen (`expect: 'startup-error'`).
   * Fails at once with the other screen's text if the wrong one shows.
   */
  async waitForStartup(expect) {
    const wanted = expect === 'ready' ? '[data-testid=nav-home]' : '[data-testid=startup-error]';
    const other = expect === 'ready' ? '[data-testid=startup-error]' : '[data-testid=nav-home]';
    let unexpected = null;
    await waitFor(
      async () => {
        const [found] = await this.session.findAll(wanted);
        if (found) return true;
        const [wrong] = await this.session.findAll(other);
        if (wrong) {
          unexpected = await wrong.text();
          return true;
        }
        return false;
      },
      { timeout: APP_START_MS, message: `the app to show ${wanted}` },
    );
    if (unexpected !== null) {
      throw new Error(`expected ${wanted} at startup, but the app shows ${other}: ${JSON.stringify(unexpected)}`);
    }
  }

  /**
   * Quits the app the way WebDriver does (DELETE /session closes its window)
   * and waits until its process is gone, so the data folder's lock is free.
   */
  async quit() {
    await this.session.delete();
    await this.waitForExit();
  }

  /**
   * Closes the window as the cadre does with ✕ or Alt+F4 (the window
   * manager's WM_DELETE_WINDOW, sent by close-window.py), and waits until the
   * app has ended by itself.
   */
  async closeWindow() {
    this.askToClose();
    await this.waitForExit();
    await this.session.delete().catch(() => {});
  }

  /** Asks the window to close (✕) without waiting: a screen may ask first. */
  askToClose() {
    execFileSync('python3', [join(HERE, 'close-window.py'), String(this.pid)], { stdio: 'inherit' });
  }

  /** Waits until the app's process is gone (quit by WebDriver, or by the app itself). */
  async waitForExit() {
    this.driver.apps.delete(this);
    await waitFor(async () => !(await isRunning(this.pid)), {
      timeout: APP_EXIT_MS,
      interval: 200,
      message: `the app (pid ${this.pid}) to exit`,
    });
  }

  // Short forms for the tests.
  find(css) {
    return this.session.find(css);
  }
  findAll(css) {
    return this.session.findAll(css);
  }
  waitFor(css, options) {
    return this.session.waitForElement(css, options);
  }
  waitForAbsent(css, options) {
    return this.session.waitForAbsent(css, options);
  }
  script(body, args) {
    return this.session.executeScript(body, args);
  }

  async click(css) {
    const element = await this.waitFor(css);
    await element.click();
    return element;
  }

  /** Waits until `css` shows exactly `expected` (trimmed), and returns it. */
  async waitForText(css, expected, { timeout = 10_000 } = {}) {
    let last;
    try {
      await waitFor(
        async () => {
          last = (await (await this.find(css)).text()).trim();
          return typeof expected === 'string' ? last === expected : expected.test(last);
        },
        { timeout, message: `${css} to show ${expected}` },
      );
    } catch (error) {
      error.message += ` (it shows ${JSON.stringify(last)})`;
      throw error;
    }
    return last;
  }

  /**
   * Saves artifacts/<name>.png and answers its path. WebDriver's screenshot
   * can show the frame painted before the last change, so two frames are let
   * pass first (`settle: false` skips that, for a page that may be stuck).
   *
   * The app paints without GPU compositing (src-tauri/src/webview.rs). In
   * that mode WebKitGTK 2.50's screenshot command often never answers on a
   * page that has stopped changing, and the pending screenshot also keeps
   * the session from closing; with a paint under way it answers. So while
   * the screenshot is taken, one transparent pixel in the top-left corner
   * changes every 30 ms (at most 1 % darker: invisible in the picture); it is
   * removed afterwards.
   */
  async screenshot(name, { timeoutMs = 20_000, settle = true } = {}) {
    if (settle) {
      await this.session.executeAsyncScript(
        'const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));',
        [],
        { timeoutMs },
      );
    }
    await mkdir(ARTIFACTS, { recursive: true });
    await this.session.executeScript(
      `const mark = document.createElement('div');
       mark.style.cssText = 'position: fixed; left: 0; top: 0; width: 1px; height: 1px; pointer-events: none';
       document.body.append(mark);
       let odd = false;
       const timer = setInterval(() => {
         odd = !odd;
         mark.style.background = odd ? 'rgba(0, 0, 0, 0.01)' : 'transparent';
       }, 30);
       window.__e2ePaintMark = () => { clearInterval(timer); mark.remove(); };`,
      [],
    );
    try {
      return await this.session.screenshot(join(ARTIFACTS, `${name}.png`), { timeoutMs });
    } finally {
      await this.session.executeScript('window.__e2ePaintMark()', []).catch(() => {});
    }
  }
}

/** Whether `pid` is a live process (a zombie, or a reused pid's other program, is not). */
async function isRunning(pid) {
  try {
    const exe = await readlink(`/proc/${pid}/exe`);
    const app = await realpath(APP_PATH).catch(() => APP_PATH);
    return exe === app || exe === `${app} (deleted)`;
  } catch {
    return false;
  }
}

/**
 * The ids of running app processes whose data folder is `dataDir`, found in
 * /proc by executable and REMBUG_DATA_DIR. This is how a test knows the app
 * really exited (and released the data folder's lock) before starting it again.
 */
export async function appPids(dataDir) {
  const app = await realpath(APP_PATH).catch(() => APP_PATH);
  const wanted = `REMBUG_DATA_DIR=${dataDir}`;
  const pids = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const exe = await readlink(`/proc/${entry}/exe`);
      // A rebuilt binary shows as "<path> (deleted)" in a process still running the old one.
      if (exe !== app && exe !== `${app} (deleted)`) continue;
      const environ = (await readFile(`/proc/${entry}/environ`, 'utf8')).split('\0');
      if (environ.includes(wanted)) pids.push(Number(entry));
    } catch {
      // the process ended while we looked, or is not ours to read
    }
  }
  return pids;
}
