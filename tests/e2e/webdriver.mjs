// A tiny W3C WebDriver client: just what the Rembug end-to-end tests need,
// on Node's built-in fetch. Spec: https://www.w3.org/TR/webdriver2/
//
//   const session = await Session.create('http://127.0.0.1:4444', capabilities);
//   const button = await session.waitForElement('[data-testid=new-meeting]');
//   await button.click();
//   await session.delete();

import { writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

// The key under which W3C WebDriver returns (and accepts) an element reference.
const ELEMENT_KEY = 'element-6066-11e4-a52e-4f735466cecf';

/** An error answered by the remote end; `code` is the W3C error code. */
export class WebDriverError extends Error {
  constructor(code, message, { method, path, status } = {}) {
    super(`${code}: ${message} (${method} ${path} -> HTTP ${status})`);
    this.name = 'WebDriverError';
    this.code = code;
    this.status = status;
  }
}

/** Thrown by waitFor when the condition never held. */
export class TimeoutError extends Error {
  constructor(message, lastError) {
    super(lastError ? `${message} (last error: ${lastError.message})` : message);
    this.name = 'TimeoutError';
    this.lastError = lastError;
  }
}

/**
 * One HTTP round trip to a WebDriver remote end. Answers `value` of the JSON
 * reply, or throws a WebDriverError for an error reply.
 */
export async function request(baseUrl, method, path, body, { timeoutMs = 60_000 } = {}) {
  const url = baseUrl.replace(/\/$/, '') + path;
  let response;
  try {
    response = await fetch(url, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new WebDriverError('connection failed', `${error.cause?.code ?? ''} ${error.message}`.trim(), {
      method,
      path,
      status: 0,
    });
  }
  const text = await response.text();
  let json;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    throw new WebDriverError('invalid reply', text.slice(0, 300), { method, path, status: response.status });
  }
  const value = json.value ?? null;
  if (!response.ok || (value && typeof value === 'object' && typeof value.error === 'string')) {
    throw new WebDriverError(value?.error ?? 'unknown error', value?.message ?? text.slice(0, 300), {
      method,
      path,
      status: response.status,
    });
  }
  return value;
}

/**
 * Polls `condition` until it returns a truthy value, which waitFor returns.
 * Errors thrown by the condition count as "not yet" (the element may not be
 * rendered yet); the last one is reported if time runs out.
 */
export async function waitFor(condition, { timeout = 10_000, interval = 100, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let lastError;
  for (;;) {
    try {
      const result = await condition();
      if (result) return result;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      throw new TimeoutError(`timed out after ${timeout} ms waiting for ${message}`, lastError);
    }
    await sleep(interval);
  }
}

export class Session {
  /** @param {string} baseUrl e.g. http://127.0.0.1:4444 */
  constructor(baseUrl, id, capabilities) {
    this.baseUrl = baseUrl;
    this.id = id;
    this.capabilities = capabilities;
  }

  /** POST /session. `capabilities` is the whole {capabilities: ...} body. */
  static async create(baseUrl, body, { timeoutMs = 60_000 } = {}) {
    const value = await request(baseUrl, 'POST', '/session', body, { timeoutMs });
    return new Session(baseUrl, value.sessionId, value.capabilities);
  }

  /** A command in this session: `path` is relative to /session/{id}. */
  command(method, path, body, options) {
    return request(this.baseUrl, method, `/session/${this.id}${path}`, body, options);
  }

  /** DELETE /session/{id}: closes the browser (here: quits the app). */
  async delete() {
    await request(this.baseUrl, 'DELETE', `/session/${this.id}`);
  }

  // --- elements -----------------------------------------------------------

  async find(css) {
    const value = await this.command('POST', '/element', { using: 'css selector', value: css });
    return new Element(this, value[ELEMENT_KEY], css);
  }

  async findAll(css) {
    const values = await this.command('POST', '/elements', { using: 'css selector', value: css });
    return values.map((value, i) => new Element(this, value[ELEMENT_KEY], `${css}[${i}]`));
  }

  /** Waits until `css` matches an element that is displayed, and returns it. */
  async waitForElement(css, { timeout = 10_000, displayed = true } = {}) {
    return waitFor(
      async () => {
        const element = await this.find(css);
        return !displayed || (await element.isDisplayed()) ? element : null;
      },
      { timeout, message: `element ${css}${displayed ? ' (displayed)' : ''}` },
    );
  }

  /** Waits until no element matches `css`. */
  async waitForAbsent(css, { timeout = 10_000 } = {}) {
    await waitFor(async () => (await this.findAll(css)).length === 0, { timeout, message: `no element ${css}` });
  }

  // --- scripts, window, screenshots ---------------------------------------

  /** Runs `script` (a function body; `arguments` holds args) and returns its value. */
  executeScript(script, args = []) {
    return this.command('POST', '/execute/sync', { script, args: args.map(toWire) });
  }

  /** Like executeScript, but the script calls `arguments[arguments.length - 1](value)`. */
  executeAsyncScript(script, args = [], options) {
    return this.command('POST', '/execute/async', { script, args: args.map(toWire) }, options);
  }

  getWindowRect() {
    return this.command('GET', '/window/rect');
  }

  setWindowRect(rect) {
    return this.command('POST', '/window/rect', rect);
  }

  title() {
    return this.command('GET', '/title');
  }

  url() {
    return this.command('GET', '/url');
  }

  /** Saves a PNG of the viewport to `file` and answers the file name. */
  async screenshot(file, { timeoutMs = 20_000 } = {}) {
    const base64 = await this.command('GET', '/screenshot', undefined, { timeoutMs });
    await writeFile(file, Buffer.from(base64, 'base64'));
    return file;
  }

  /** Sends keys to the focused element (W3C actions are not needed here). */
  async sendKeysToActive(text) {
    const value = await this.command('GET', '/element/active');
    await new Element(this, value[ELEMENT_KEY], ':focus').sendKeys(text);
  }
}

export class Element {
  constructor(session, id, description) {
    this.session = session;
    this.id = id;
    this.description = description;
  }

  command(method, path, body) {
    return this.session.command(method, `/element/${this.id}${path}`, body);
  }

  async find(css) {
    const value = await this.command('POST', '/element', { using: 'css selector', value: css });
    return new Element(this.session, value[ELEMENT_KEY], `${this.description} ${css}`);
  }

  async findAll(css) {
    const values = await this.command('POST', '/elements', { using: 'css selector', value: css });
    return values.map((value, i) => new Element(this.session, value[ELEMENT_KEY], `${this.description} ${css}[${i}]`));
  }

  click() {
    return this.command('POST', '/click', {});
  }

  /** Types `text` into the element, as keystrokes. */
  sendKeys(text) {
    return this.command('POST', '/value', { text: String(text) });
  }

  clear() {
    return this.command('POST', '/clear', {});
  }

  /** The rendered text (innerText-like). */
  text() {
    return this.command('GET', '/text');
  }

  attribute(name) {
    return this.command('GET', `/attribute/${encodeURIComponent(name)}`);
  }

  property(name) {
    return this.command('GET', `/property/${encodeURIComponent(name)}`);
  }

  isDisplayed() {
    return this.command('GET', '/displayed');
  }

  isEnabled() {
    return this.command('GET', '/enabled');
  }

  rect() {
    return this.command('GET', '/rect');
  }

  toJSON() {
    return { [ELEMENT_KEY]: this.id };
  }
}

// Elements passed to scripts travel as W3C element references.
function toWire(arg) {
  return arg instanceof Element ? arg.toJSON() : arg;
}
