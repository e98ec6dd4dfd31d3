// Start-up time and memory of the Rembug window against a bare Tauri window
// showing static HTML, measured in one run on the same machine, as the brief
// asks. Not a test: run it by hand (see docs/benchmarks.md).
//
//   xvfb-run -a dbus-run-session -- node scripts/measure-startup.mjs \
//     APP_BINARY DATA_DIR BARE_BINARY [RUNS] [EARLIER_APP_BINARY]
//
// With EARLIER_APP_BINARY (a copy of an earlier build), that build runs too,
// alternating with the other two, so a change is compared before and after
// in the same conditions.
// Each run starts the window through tauri-driver (as the e2e tests do),
// takes the time from the WebDriver "new session" request to the moment the
// first screen's element exists (the meeting list, or the bare page's
// heading) and to the end of the first frame painted after that (the web
// view may lay out and paint well after the element exists), then sums the proportional set size (PSS) of the app and every
// process it started (the WebKit web and network processes).

import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

import { freePort } from '../tests/e2e/harness.mjs';
import { Session, request, waitFor } from '../tests/e2e/webdriver.mjs';

const [appBinary, dataDir, bareBinary, runsArg, earlierBinary] = process.argv.slice(2);
if (!appBinary || !dataDir || !bareBinary) {
  console.error('usage: node scripts/measure-startup.mjs APP_BINARY DATA_DIR BARE_BINARY [RUNS] [EARLIER_APP_BINARY]');
  process.exit(2);
}
const RUNS = Number(runsArg ?? 5);

async function startDriver(env) {
  const [port, nativePort] = [await freePort(), await freePort()];
  const child = spawn('tauri-driver', ['--port', String(port), '--native-port', String(nativePort)], {
    env: { ...process.env, ...env },
    detached: true,
    stdio: 'ignore',
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await request(baseUrl, 'GET', '/status', undefined, { timeoutMs: 2_000 }))?.ready, {
    timeout: 20_000,
    message: 'tauri-driver',
  });
  return { child, baseUrl };
}

/** Every process below `root`, as [pid, command name]. */
async function descendants(root) {
  const parents = new Map();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      const parent = Number(stat.slice(close + 2).split(' ')[1]);
      parents.set(Number(entry), { parent, name });
    } catch {
      // ended while we looked
    }
  }
  const below = [];
  const walk = (pid) => {
    for (const [child, info] of parents) {
      if (info.parent === pid) {
        below.push([child, info.name]);
        walk(child);
      }
    }
  };
  walk(root);
  return below;
}

/**
 * The process's PSS and, within it, its anonymous memory (heaps, caches,
 * textures), in KiB. The rest is the pages of shared libraries, which PSS
 * divides among every process mapping them, this run's or not: another
 * WebKit app running on the machine lowers it. The anonymous part is the
 * process's own, so it moves only with what the process does.
 */
async function pssKiB(pid) {
  const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => '');
  const field = (name) => Number(rollup.match(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm'))?.[1] ?? 0);
  return { pss: field('Pss'), anon: field('Pss_Anon') };
}

async function measure(label, binary, selector, env) {
  const driver = await startDriver(env);
  const times = [];
  const painted = [];
  const memories = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      const session = await Session.create(driver.baseUrl, {
        capabilities: { alwaysMatch: { 'tauri:options': { application: binary } } },
      });
      await waitFor(async () => (await session.findAll(selector)).length > 0, {
        timeout: 30_000,
        interval: 10,
        message: `${label}: ${selector}`,
      });
      times.push(performance.now() - started);
      // The second animation frame starts once the frame that drew the
      // element is done; both clocks count from the epoch.
      const paintedAt = await session.executeAsyncScript(
        `const done = arguments[arguments.length - 1];
         requestAnimationFrame(() => requestAnimationFrame(() => done(performance.timeOrigin + performance.now())));`,
      );
      painted.push(paintedAt - (performance.timeOrigin + started));
      await sleep(2_000); // let the page settle before reading memory
      const processes = (await descendants(driver.child.pid)).filter(
        ([, name]) => !/tauri-driver|WebKitWebDriver/.test(name),
      );
      let total = 0;
      const byName = {};
      const anonByName = {};
      for (const [pid, name] of processes) {
        const { pss, anon } = await pssKiB(pid);
        total += pss;
        byName[name] = (byName[name] ?? 0) + pss;
        anonByName[name] = (anonByName[name] ?? 0) + anon;
      }
      memories.push({ total, byName, anonByName, processes: processes.map(([, name]) => name) });
      await session.delete();
      await sleep(1_000);
    }
  } finally {
    try {
      process.kill(-driver.child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return { label, times, painted, memories };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// Alternate the windows so that load from other processes falls on all alike.
const windows = [
  ['bare', bareBinary, '#ready', {}],
  ['app', appBinary, '[data-testid=meeting-list]', { REMBUG_DATA_DIR: dataDir }],
];
if (earlierBinary) windows.push(['earlier', earlierBinary, '[data-testid=meeting-list]', { REMBUG_DATA_DIR: dataDir }]);
const results = Object.fromEntries(windows.map(([key]) => [key, { times: [], painted: [], memories: [] }]));
for (let round = 0; round < 2; round++) {
  for (const [key, binary, selector, env] of windows) {
    const { times, painted, memories } = await measure(key, binary, selector, env);
    results[key].times.push(...times);
    results[key].painted.push(...painted);
    results[key].memories.push(...memories);
  }
}

for (const [key] of windows) {
  const { times, painted, memories } = results[key];
  console.log(
    `${key}: start median ${median(times).toFixed(0)} ms (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)}, n=${times.length}); ` +
      `painted median ${median(painted).toFixed(0)} ms (min ${Math.min(...painted).toFixed(0)}, max ${Math.max(...painted).toFixed(0)}); ` +
      `PSS median ${(median(memories.map((m) => m.total)) / 1024).toFixed(1)} MiB over ${memories[0].processes.join(', ')}`,
  );
  // Where the memory is: each process's own median, to see which one grew.
  const names = [...new Set(memories.flatMap((m) => Object.keys(m.byName)))];
  const shares = names.map((name) => `${name} ${(median(memories.map((m) => m.byName[name] ?? 0)) / 1024).toFixed(1)}`);
  console.log(`  ${key} PSS by process, medians in MiB: ${shares.join(', ')}`);
  const anon = names.map((name) => `${name} ${(median(memories.map((m) => m.anonByName[name] ?? 0)) / 1024).toFixed(1)}`);
  console.log(`  ${key} of which anonymous, medians in MiB: ${anon.join(', ')}`);
}
for (const [key] of windows.slice(1)) {
  const startRatio = median(results[key].times) / median(results.bare.times);
  const paintedRatio = median(results[key].painted) / median(results.bare.painted);
  const memoryRatio =
    median(results[key].memories.map((m) => m.total)) / median(results.bare.memories.map((m) => m.total));
  console.log(
    `ratio ${key}/bare: start ${startRatio.toFixed(2)}x (target 1.5x), painted ${paintedRatio.toFixed(2)}x, memory ${memoryRatio.toFixed(3)}x (target 1.3x)`,
  );
}
