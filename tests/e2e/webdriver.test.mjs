// Checks the tiny WebDriver client against a fake remote end (no browser):
// the requests it sends, the element references it reads, how it reports
// errors, and waitFor's polling and timeout.

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { Session, TimeoutError, WebDriverError, waitFor } from './webdriver.mjs';

const ELEMENT_KEY = 'element-6066-11e4-a52e-4f735466cecf';
const PNG = Buffer.from('89504e470d0a1a0a', 'hex');

let server;
let baseUrl;
const requests = [];
// Answers by "METHOD path"; a function gets the parsed body.
const routes = new Map();

before(async () => {
  server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const parsed = body ? JSON.parse(body) : undefined;
    requests.push({ method: req.method, path: req.url, body: parsed, type: req.headers['content-type'] });
    const route = routes.get(`${req.method} ${req.url}`);
    const [status, value] = route ? await route(parsed) : [404, { error: 'unknown command', message: req.url }];
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ value }));
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  baseUrl = `http://127.0.0.1:${server.address().port}`;
  routes.set('POST /session', () => [200, { sessionId: 's1', capabilities: { browserName: 'fake' } }]);
});

after(() => new Promise((done) => server.close(done)));

test('a session is created with the given capabilities and deleted', async () => {
  requests.length = 0;
  routes.set('DELETE /session/s1', () => [200, null]);
  const caps = { capabilities: { alwaysMatch: { 'tauri:options': { application: '/app' } } } };
  const session = await Session.create(baseUrl, caps);
  assert.equal(session.id, 's1');
  assert.deepEqual(session.capabilities, { browserName: 'fake' });
  await session.delete();
  assert.deepEqual(
    requests.map((r) => [r.method, r.path, r.body]),
    [
      ['POST', '/session', caps],
      ['DELETE', '/session/s1', undefined],
    ],
  );
  assert.match(requests[0].type, /^application\/json/);
});

test('elements are found by CSS and driven by their W3C reference', async () => {
  requests.length = 0;
  routes.set('POST /session/s1/element', () => [200, { [ELEMENT_KEY]: 'e1' }]);
  routes.set('POST /session/s1/elements', () => [200, [{ [ELEMENT_KEY]: 'e1' }, { [ELEMENT_KEY]: 'e2' }]]);
  routes.set('POST /session/s1/element/e1/click', () => [200, null]);
  routes.set('POST /session/s1/element/e1/clear', () => [200, null]);
  routes.set('POST /session/s1/element/e1/value', () => [200, null]);
  routes.set('GET /session/s1/element/e1/text', () => [200, 'Balai RW 05']);
  routes.set('GET /session/s1/element/e1/attribute/aria-invalid', () => [200, 'true']);
  routes.set('GET /session/s1/element/e1/property/value', () => [200, '2026-11-28']);
  routes.set('POST /session/s1/execute/sync', (body) => [200, body.args]);

  const session = new Session(baseUrl, 's1');
  const element = await session.find('[data-testid=detail-place]');
  assert.equal(element.id, 'e1');
  assert.deepEqual(
    (await session.findAll('li')).map((e) => e.id),
    ['e1', 'e2'],
  );
  await element.click();
  await element.clear();
  await element.sendKeys(5);
  assert.equal(await element.text(), 'Balai RW 05');
  assert.equal(await element.attribute('aria-invalid'), 'true');
  assert.equal(await element.property('value'), '2026-11-28');
  // Elements travel into scripts as references.
  assert.deepEqual(await session.executeScript('return arguments', [element, 1]), [{ [ELEMENT_KEY]: 'e1' }, 1]);

  assert.deepEqual(requests[0].body, { using: 'css selector', value: '[data-testid=detail-place]' });
  assert.deepEqual(requests.find((r) => r.path.endsWith('/value')).body, { text: '5' });
  assert.deepEqual(requests.find((r) => r.path.endsWith('/click')).body, {});
});

test('an error reply becomes a WebDriverError with its W3C code', async () => {
  routes.set('POST /session/s1/element', () => [404, { error: 'no such element', message: 'nothing matches' }]);
  const session = new Session(baseUrl, 's1');
  await assert.rejects(session.find('#missing'), (error) => {
    assert.ok(error instanceof WebDriverError);
    assert.equal(error.code, 'no such element');
    assert.equal(error.status, 404);
    assert.match(error.message, /nothing matches/);
    return true;
  });
});

test('an unreachable remote end is reported, not hung on', async () => {
  const session = new Session('http://127.0.0.1:1', 's1');
  await assert.rejects(session.title(), (error) => error instanceof WebDriverError && error.code === 'connection failed');
});

test('a screenshot is written as PNG bytes', async () => {
  routes.set('GET /session/s1/screenshot', () => [200, PNG.toString('base64')]);
  const dir = await mkdtemp(join(tmpdir(), 'wd-test-'));
  try {
    const file = await new Session(baseUrl, 's1').screenshot(join(dir, 'shot.png'));
    assert.deepEqual(await readFile(file), PNG);
  } finally {
    await rm(dir, { recursive: true });
  }
});

test('waitFor polls until the condition holds and returns its value', async () => {
  let calls = 0;
  const value = await waitFor(
    () => {
      calls++;
      if (calls < 3) throw new Error('not yet');
      return calls === 3 ? null : 'ready';
    },
    { timeout: 2_000, interval: 10 },
  );
  assert.equal(value, 'ready');
  assert.equal(calls, 4);
});

test('waitFor gives up after its timeout and names what it waited for', async () => {
  const started = Date.now();
  await assert.rejects(
    waitFor(
      () => {
        throw new Error('still missing');
      },
      { timeout: 200, interval: 20, message: 'the detail screen' },
    ),
    (error) => {
      assert.ok(error instanceof TimeoutError);
      assert.match(error.message, /the detail screen/);
      assert.match(error.message, /still missing/);
      return true;
    },
  );
  const elapsed = Date.now() - started;
  assert.ok(elapsed >= 200 && elapsed < 1_500, `gave up after ${elapsed} ms`);
});
