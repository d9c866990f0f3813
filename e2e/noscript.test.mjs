// With JavaScript off, the public pages still read correctly: they arrive as HTML with their
// content, language, title and description, and the checker says plainly what needs a
// script. Also checks that the content is there before the app starts, and that taking the
// checker over moves nothing on screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { launch } from './browser.mjs';

const base = process.env.QONYS_E2E_URL;
if (!base) throw new Error('QONYS_E2E_URL is not set (run through `cargo xtask test`)');
const shots = process.env.QONYS_E2E_SHOTS || 'target/e2e';
mkdirSync(shots, { recursive: true });

const PAGES = {
  kk: { home: 'Солтүстікке', check: 'JavaScript' },
  ru: { home: 'Переезжайте', check: 'JavaScript' },
  en: { home: 'Move north', check: 'JavaScript' },
};

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function page({ javaScriptEnabled }) {
  const context = await browser.newContext({
    viewport: { width: 360, height: 800 }, deviceScaleFactor: 1, javaScriptEnabled,
    serviceWorkers: 'block',
  });
  return context.newPage();
}

// The MRP in force today, from the published policy: the home page's amounts use it.
async function mrpToday() {
  const policy = await (await fetch(`${base}/api/v1/policy`)).json();
  const today = new Date().toISOString().slice(0, 10);
  const values = policy.parameters.mrp.values.filter((v) => v.from <= today);
  return Number(values.sort((a, b) => a.from.localeCompare(b.from)).at(-1).value);
}

const grouped = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');

for (const [lang, words] of Object.entries(PAGES)) {
  test(`home page in ${lang} reads without JavaScript`, async () => {
    const p = await page({ javaScriptEnabled: false });
    const response = await p.goto(`${base}/${lang}/`);
    assert.equal(response.status(), 200);
    assert.equal(await p.getAttribute('html', 'lang'), lang);
    const title = await p.title();
    assert.ok(title.endsWith('— Qonys') && title.length > 10, title);
    const description = await p.getAttribute('meta[name="description"]', 'content');
    assert.ok(description && description.length > 40, description);
    assert.match(await p.locator('h1').innerText(), new RegExp(words.home));
    // The support amounts, computed at build time from the policy: 70 MRP per member.
    const text = await p.locator('main').innerText();
    assert.ok(text.includes(grouped(70 * (await mrpToday()))), text);
    // The way to the checker is a real link.
    assert.equal(await p.locator(`main a[href="/${lang}/check"]`).count() > 0, true);
    await p.screenshot({ path: `${shots}/noscript-home-${lang}.png`, fullPage: true });
    await p.context().close();
  });

  test(`checker in ${lang} without JavaScript says what needs it`, async () => {
    const p = await page({ javaScriptEnabled: false });
    await p.goto(`${base}/${lang}/check`);
    assert.equal(await p.getAttribute('html', 'lang'), lang);
    const notice = p.locator('main .notice-warning');
    assert.equal(await notice.isVisible(), true, 'the notice is shown');
    assert.match(await notice.innerText(), new RegExp(words.check));
    // The form is there, labelled, and nothing claims an answer.
    assert.equal(await p.locator('label[for="iin"]').isVisible(), true);
    assert.equal(await p.locator('#destination_region option').count() > 1, true);
    assert.equal(await p.locator('#verdict').count(), 0);
    assert.equal(await p.locator('.summary').count(), 0);
    await p.screenshot({ path: `${shots}/noscript-check-${lang}.png`, fullPage: true });
    await p.context().close();
  });
}

for (const lang of Object.keys(PAGES)) {
  test(`sign-in, vacancies and the account in ${lang} say, without JavaScript, that they need it`, async () => {
    const p = await page({ javaScriptEnabled: false });
    for (const path of ['login', 'vacancies', 'vacancy?id=1', 'my', 'my/apply']) {
      const response = await p.goto(`${base}/${lang}/${path}`);
      assert.equal(response.status(), 200, path);
      assert.equal(await p.getAttribute('html', 'lang'), lang, path);
      assert.ok((await p.locator('h1').first().innerText()).length > 2, `${path} has a heading`);
      const notice = p.locator('main .notice-warning').first();
      assert.equal(await notice.isVisible(), true, `${path}: the notice is shown`);
      assert.match(await notice.innerText(), /JavaScript/, path);
    }
    await p.context().close();
  });
}

test('the checker takes over its pre-rendered form without moving anything', async () => {
  const p = await page({ javaScriptEnabled: true });
  // Layout shifts as the browser measures them, from the first paint on.
  await p.addInitScript(() => {
    window.__shift = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shift += entry.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
  // The app waits until the pre-rendered page has been measured.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await p.route(/_bg\.wasm$/, async (route) => { await held; await route.continue(); });
  await p.goto(`${base}/en/check`, { waitUntil: 'domcontentloaded' });
  await p.waitForFunction(() => document.styleSheets[0]?.cssRules.length > 0);
  const before = await p.locator('#iin').boundingBox();
  release();
  // The app has started when the one-line summary, which only it shows, is there.
  await p.locator('.summary').waitFor();
  const after = await p.locator('#iin').boundingBox();
  assert.deepEqual(after, before, 'the IIN field stays where it was');
  assert.equal(await p.evaluate(() => window.__shift), 0, 'cumulative layout shift');
  await p.context().close();
});

test('what is typed before the app starts is kept, and survives a change of language', async () => {
  const p = await page({ javaScriptEnabled: true });
  // Hold the app back until the person has typed, as on a slow network.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await p.route(/_bg\.wasm$/, async (route) => { await held; await route.continue(); });
  await p.goto(`${base}/en/check`);
  await p.locator('#iin').fill('900514300121');
  await p.locator('#family_size').fill('4');
  await p.locator('#family_size').focus();
  release();
  await p.locator('.summary').waitFor();
  assert.equal(await p.locator('#iin').inputValue(), '900514300121');
  assert.equal(await p.locator('#family_size').inputValue(), '4');
  assert.equal(await p.evaluate(() => document.activeElement?.id), 'family_size');
  await p.locator('#birth_date').fill('1990-05-14');
  await p.locator('a[hreflang="ru"]').first().click();
  await p.waitForURL(/\/ru\/check$/);
  await p.locator('.summary').waitFor();
  assert.equal(await p.locator('#iin').inputValue(), '900514300121');
  assert.equal(await p.locator('#birth_date').inputValue(), '1990-05-14');
  await p.context().close();
});
