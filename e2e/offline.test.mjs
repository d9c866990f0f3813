// Offline use: once the service worker has cached the portal, the eligibility checker gives
// the full answer with the network off (rules and amounts are in the app, rule E7's quotas
// are the last ones fetched), and a new build replaces the cache cleanly and says so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync } from 'node:fs';
import { fillCheckerForm, launch } from './browser.mjs';

const base = process.env.QONYS_E2E_URL;
if (!base) throw new Error('QONYS_E2E_URL is not set (run through `cargo xtask test`)');
const shots = process.env.QONYS_E2E_SHOTS || 'target/e2e';
mkdirSync(shots, { recursive: true });
const axeSource = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// A phone, with the page's own CSP in force (no bypass: the worker must work under it).
async function phoneContext(options = {}) {
  return browser.newContext({ viewport: { width: 360, height: 800 }, deviceScaleFactor: 1, ...options });
}

function collectErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  return errors;
}

// Opens `path` and waits until the service worker serves the page: the first visit is
// served by the network, so it is reloaded once if the worker has not claimed it yet.
async function openControlled(page, path) {
  await page.goto(`${base}${path}`);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  if (!(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)))) {
    await page.reload();
  }
  await page.waitForFunction(() => Boolean(navigator.serviceWorker.controller));
}

// Every cache of the origin, with the paths it holds.
function cachesOf(page) {
  return page.evaluate(async () => {
    const out = {};
    for (const name of await caches.keys()) {
      const keys = await (await caches.open(name)).keys();
      out[name] = keys.map((r) => { const u = new URL(r.url); return u.pathname + u.search; });
    }
    return out;
  });
}

const ourCaches = (all) => Object.keys(all).filter((n) => n.startsWith('qonys-')).sort();

// The cache name and file list the served service worker was built with.
async function builtWorker() {
  const source = await (await fetch(`${base}/sw.js`)).text();
  const cache = /^const CACHE = '([^']+)';$/m.exec(source)?.[1];
  const precache = JSON.parse(/^const PRECACHE = (.*);$/m.exec(source)?.[1] ?? 'null');
  assert.ok(cache && precache, 'sw.js names its cache and files');
  return { source, cache, precache };
}

// The browser's local date, as the app uses it.
function localDate(page) {
  return page.evaluate(() => {
    const d = new Date();
    const pad = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  });
}


async function pageAnswer(page) {
  const verdict = page.locator('#verdict[data-eligible]');
  await verdict.waitFor();
  const rules = await page.$$eval('li[data-rule]', (lis) =>
    lis.filter((li) => !li.closest('#server-verdict'))
      .map((li) => ({ id: li.dataset.rule, passed: li.dataset.passed === 'true' })));
  const amounts = await page.$$eval('[data-amount]', (els) =>
    Object.fromEntries(els.filter((e) => !e.closest('#server-verdict'))
      .map((e) => [e.dataset.amount, e.dataset.value])));
  return { eligible: (await verdict.getAttribute('data-eligible')) === 'true', rules, amounts };
}

// The SPEC §3 worked example.
const eligibleFamily = {
  iin: '900514300121', birth_date: '1990-05-14', citizenship: 'citizen',
  current_region: 'turkestan', family_size: 3, destination: 'north_kazakhstan',
  settlement: 'urban', prior: false,
};

test('offline, the checker gives the full answer with the policy of this build', { timeout: 180_000 }, async () => {
  const context = await phoneContext();
  const page = await context.newPage();
  const errors = collectErrors(page);
  await openControlled(page, '/en/check');

  // Rule E7's quotas for this year are in the worker's cache (fetched by the page through
  // the worker, or by the worker when it installed).
  const year = (await localDate(page)).slice(0, 4);
  await page.waitForFunction(async (y) => {
    for (const name of await caches.keys()) {
      if (!name.startsWith('qonys-')) continue;
      if (await (await caches.open(name)).match(`/api/v1/quotas?year=${y}`)) return true;
    }
    return false;
  }, year, { timeout: 30_000 });

  // What the server says, asked before the network goes.
  const asOf = await localDate(page);
  const policy = await (await fetch(`${base}/api/v1/policy`)).json();
  const mrp = Number(policy.parameters.mrp.values
    .filter((v) => v.from <= asOf)
    .sort((a, b) => a.from.localeCompare(b.from)).at(-1).value);
  assert.ok(mrp > 0, 'MRP in force today');

  await context.setOffline(true);
  // Really offline, for the page and for its service worker.
  assert.equal(await page.evaluate(() => fetch('/api/v1/health').then(() => 'online', () => 'offline')),
    'offline');
  for (const worker of context.serviceWorkers()) {
    assert.equal(await worker.evaluate(() => fetch('/api/v1/health').then(() => 'online', () => 'offline')),
      'offline');
  }

  // The probe above logs its failed request; from here on nothing may fail.
  errors.length = 0;
  const failed = [];
  page.on('requestfailed', (r) => failed.push(r.url()));
  await page.reload();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.locator('#iin').waitFor();
  await fillCheckerForm(page, eligibleFamily);
  const shown = await pageAnswer(page);
  assert.equal(shown.eligible, true, JSON.stringify(shown.rules));
  assert.equal(shown.rules.length, 7);
  assert.deepEqual(shown.rules.filter((r) => !r.passed), [], 'every rule passes, E7 included');
  assert.deepEqual(
    [shown.amounts.relocation_subsidy, shown.amounts.monthly_voucher, shown.amounts.employer_housing_limit],
    [String(70 * mrp * 3), String(25 * mrp), String(450 * mrp)]);

  const footer = (await page.locator('.policy-version').textContent()).trim();
  assert.equal(footer.split(/\s+/).at(-1), policy.version, `footer: ${footer}`);
  assert.equal(await page.locator('#update-notice').count(), 0, 'no update notice');
  await page.screenshot({ path: `${shots}/offline-en-check.png`, fullPage: true });
  assert.deepEqual(failed, [], 'requests that failed offline');
  assert.deepEqual(errors, []);

  // Pages that need the server say that the connection is missing, not that they do not
  // exist; an unknown address is still not found.
  for (const [path, status, heading] of [
    ['/en/vacancies', 503, 'You are offline'],
    ['/en/my/apply', 503, 'You are offline'],
    ['/en/no-such-page', 404, 'Page not found'],
  ]) {
    const response = await page.goto(`${base}${path}`);
    assert.equal(response.status(), status, path);
    assert.equal((await page.locator('h1').textContent()).trim(), heading, path);
  }
  await context.close();
});

test('the worker caches this build under its version and deletes older caches', { timeout: 120_000 }, async () => {
  const { cache, precache } = await builtWorker();
  assert.match(cache, /^qonys-[0-9a-f]{12}$/, 'the cache is named by the build version');

  const context = await phoneContext({ locale: 'ru-RU' });
  const page = await context.newPage();
  // A same-origin document that does not start the app, so no worker yet: leave caches
  // as an older build (and something not ours) would have.
  await page.goto(`${base}/api/v1/health`);
  await page.evaluate(async () => {
    await (await caches.open('qonys-0123456789ab')).put('/kk/', new Response('an older build'));
    await (await caches.open('other-cache')).put('/x', new Response('not ours'));
  });
  assert.deepEqual(ourCaches(await cachesOf(page)), ['qonys-0123456789ab']);

  await openControlled(page, '/en/');
  const all = await cachesOf(page);
  assert.deepEqual(ourCaches(all), [cache], 'only this build\'s cache is left');
  assert.ok('other-cache' in all, 'caches of others are left alone');
  const held = all[cache].filter((p) => !p.startsWith('/api/'));
  assert.deepEqual([...held].sort(), [...precache].sort(), 'the cache holds exactly the build');

  // The page in the cache loads exactly the assets in the cache.
  const html = await (await fetch(`${base}/en/`)).text();
  for (const [, asset] of html.matchAll(/(?:src|href)="(\/[^"]+-[0-9a-f]{10}[^"]*)"/g)) {
    assert.ok(precache.includes(asset), `${asset} is precached`);
  }

  // Offline, `/` still goes on to the home page in the language last read (the English
  // page above, although the browser prefers Russian), as the server does, from the cache.
  await context.setOffline(true);
  await page.goto(`${base}/`);
  await page.waitForURL(/\/en\/$/);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.locator('h1').waitFor();
  await context.close();
});

// A real new deployment serves a changed /sw.js, which a test cannot do to the server (and
// Playwright cannot route a worker's script). A worker registered from another URL is a new
// worker too: it installs, takes over the page the current one serves, and the page must
// say so.
const NOTICE = {
  kk: ['Порталдың және оның ережелерінің жаңа нұсқасы шықты.', 'Қайта жүктеу'],
  ru: ['Доступна новая версия портала и его правил.', 'Перезагрузить'],
  en: ['A new version of the portal and its rules is available.', 'Reload'],
};

for (const [lang, [text, action]] of Object.entries(NOTICE)) {
  test(`in ${lang}, a new worker taking over shows a notice with a Reload button`, { timeout: 180_000 }, async () => {
    const { cache } = await builtWorker();
    const context = await phoneContext();
    const page = await context.newPage();
    const errors = collectErrors(page);
    await openControlled(page, `/${lang}/check`);
    await page.locator('#iin').waitFor();
    await page.locator('#iin').fill('9005');
    const before = await page.evaluate(() => navigator.serviceWorker.controller.scriptURL);

    const registered = await page.evaluate(() =>
      navigator.serviceWorker.register('/sw.js?next').then(() => 'registered', (e) => String(e)));
    assert.equal(registered, 'registered');
    const notice = page.locator('#update-notice[role="status"]');
    await notice.waitFor({ timeout: 60_000 });
    assert.notEqual(await page.evaluate(() => navigator.serviceWorker.controller.scriptURL), before);
    await page.waitForFunction(() => document.querySelector('#update-notice p')?.textContent);
    assert.equal(await notice.locator('p').textContent(), text);
    const button = notice.getByRole('button', { name: action });
    assert.equal(await button.count(), 1);
    assert.equal(await button.evaluate((b) => b.tagName), 'BUTTON');
    // What the person typed is still there: the notice does not restart anything.
    assert.equal(await page.locator('#iin').inputValue(), '9005');
    assert.deepEqual(ourCaches(await cachesOf(page)), [cache]);

    // The notice covers no form field on a 360 px screen, and the page still fits.
    const overlaps = await page.evaluate(() => {
      const n = document.getElementById('update-notice').getBoundingClientRect();
      return [...document.querySelectorAll('input, select, textarea, button, label')]
        .filter((el) => !el.closest('#update-notice'))
        .filter((el) => {
          const r = el.getBoundingClientRect();
          return r.width > 0 && r.left < n.right && n.left < r.right && r.top < n.bottom && n.top < r.bottom;
        })
        .map((el) => el.id || el.tagName);
    });
    assert.deepEqual(overlaps, []);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `page is ${width}px wide on a 360px screen`);
    await page.screenshot({ path: `${shots}/update-notice-${lang}.png` });
    // axe-core, evaluated by the test rather than injected, so the page keeps its CSP.
    await page.evaluate(readFileSync(axeSource, 'utf8'));
    const violations = await page.evaluate(async () => (await window.axe.run(document)).violations
      .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`));
    assert.deepEqual(violations, []);

    // Reload: the page comes back from the cache, under the new worker.
    await Promise.all([page.waitForEvent('load'), button.click()]);
    await page.locator('#iin').waitFor();
    assert.ok(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)));
    assert.deepEqual(errors, []);
    await context.close();
  });
}
