// The people of the program, end to end, on a 360 px phone screen in Russian: an employer
// registers and posts a vacancy; a resettler registers, checks eligibility, applies to it;
// the region's officer approves, and the region's remaining quota drops by one; the
// resettler sees "approved". A resettler living outside the origin regions is refused with
// rule E4. The Kazakh and English pages carry their own texts. axe-core finds nothing on
// any page visited.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync } from 'node:fs';
import { axeViolations, fillCheckerForm, launch, pageWidth, phonePage } from './browser.mjs';

const base = process.env.QONYS_E2E_URL;
if (!base) throw new Error('QONYS_E2E_URL is not set (run through `cargo xtask test`)');
const shots = process.env.QONYS_E2E_SHOTS || 'target/e2e';
mkdirSync(shots, { recursive: true });

const LANG = 'ru';
const REGION = 'north_kazakhstan';
const OFFICER = { login: 'akimat.north', password: 'demo-akimat-north' };

// The interface texts, as a translator wrote them: `texts.ru.pages.login_title`.
function readTexts(lang) {
  const out = {};
  let section;
  for (const line of readFileSync(new URL(`../app/i18n/${lang}.toml`, import.meta.url), 'utf8').split('\n')) {
    const header = line.match(/^\[(\w+)\]\s*$/);
    if (header) { section = out[header[1]] = {}; continue; }
    const pair = line.match(/^(\w+)\s*=\s*(".*")\s*$/);
    if (pair && section) section[pair[1]] = JSON.parse(pair[2]);
  }
  return out;
}
const texts = { kk: readTexts('kk'), ru: readTexts('ru'), en: readTexts('en') };

// Kazakh identification numbers with a valid check digit (the same rule as shared/src/iin.rs).
function withCheckDigit(first11) {
  const d = [...first11].map(Number);
  for (const weights of [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]]) {
    const c = d.reduce((sum, x, i) => sum + x * weights[i], 0) % 11;
    if (c !== 10) return first11 + c;
  }
  return null;
}
function freshNumber(prefix) {
  for (;;) {
    const serial = String(Math.floor(Math.random() * 1e4)).padStart(4, '0');
    const n = withCheckDigit(prefix + serial);
    if (n) return n;
  }
}
// Born 14 May 1990, a man (century-and-sex digit 3).
const freshIin = () => freshNumber('9005143');
// Registered in March 2025, a resident legal entity (type digit 4), then a 6th digit.
const freshBin = () => freshNumber('2503401');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function open(page, path) {
  await page.goto(`${base}${path}`);
  // The page's bundle has taken its interactive parts over.
  await page.locator('body[data-started="true"]').waitFor();
}

async function checkPage(page, name) {
  assert.ok(await pageWidth(page) <= 360, `${name} is wider than a 360 px screen`);
  await page.screenshot({ path: `${shots}/journey-${name}.png`, fullPage: true });
  assert.deepEqual(await axeViolations(page), [], `${name}: accessibility`);
}

async function signIn(page, login, password) {
  await open(page, `/${LANG}/login`);
  await page.locator('#login').fill(login);
  await page.locator('#password').fill(password);
  await page.locator('#sign-in button[type="submit"]').click();
  await page.waitForURL(new RegExp(`/${LANG}/my$`));
  await page.locator('.account-bar').waitFor();
}

async function remainingQuota(page) {
  await open(page, `/${LANG}/my/quota`);
  const remaining = page.locator('#quota-remaining');
  await page.waitForFunction(() => /\d/.test(document.querySelector('#quota-remaining')?.textContent ?? ''));
  return Number((await remaining.textContent()).replace(/\D/g, ''));
}

const resettlerProfile = (iin) => ({
  iin, birth_date: '1990-05-14', citizenship: 'citizen', current_region: 'turkestan',
  family_size: 1, destination: REGION, settlement: 'urban', prior: false,
});

test('employer posts, resettler applies, officer approves, quota drops, resettler sees it', async () => {
  const ru = texts[LANG];

  // The employer registers and posts a vacancy.
  const employer = await phonePage(browser);
  const bin = freshBin();
  const password = 'employer-pass-2026';
  await open(employer.page, `/${LANG}/my/register?as=employer`);
  assert.ok(await employer.page.locator('#role_employer').isChecked());
  await employer.page.locator('#bin').fill(bin);
  await employer.page.locator('#organisation').fill('ТОО «Северный элеватор»');
  await employer.page.locator('#contact').fill('Айгерим Сапарова, +7 715 200 00 00');
  await employer.page.locator('#password').fill(password);
  await checkPage(employer.page, 'register-employer');
  await employer.page.locator('button[type="submit"]').click();
  await employer.page.locator('#registration-done').waitFor();

  await signIn(employer.page, bin, password);
  await employer.page.locator('#new-vacancy').click();
  await employer.page.waitForURL(/\/my\/vacancies\/new$/);
  const title = `Оператор зерносушилки ${Date.now()}`;
  await employer.page.locator('#title').fill(title);
  await employer.page.locator('#description').fill('Сезонная и круглогодичная работа.\nОбучение на месте.');
  await employer.page.locator('#region').selectOption(REGION);
  await employer.page.locator('#settlement_urban').check();
  await employer.page.locator('#monthly_salary').fill('350000');
  await employer.page.locator('#places').fill('3');
  await employer.page.locator('#housing_provided').check();
  await checkPage(employer.page, 'vacancy-form');
  await employer.page.locator('form button[type="submit"]').first().click();
  await employer.page.locator('#vacancy-saved').waitFor();
  const list = await (await fetch(`${base}/api/v1/vacancies?region=${REGION}&per_page=100`)).json();
  const vacancy = list.items.find((v) => v.title === title);
  assert.ok(vacancy, 'the new vacancy is in the public search');

  // The resettler registers, checks eligibility, finds the vacancy and applies to it.
  const resettler = await phonePage(browser);
  const iin = freshIin();
  const resettlerPassword = 'resettler-pass-2026';
  await open(resettler.page, `/${LANG}/my/register`);
  await resettler.page.locator('#iin').fill(iin);
  await resettler.page.locator('#phone').fill('+7 701 555 12 34');
  await resettler.page.locator('#password').fill(resettlerPassword);
  await checkPage(resettler.page, 'register-resettler');
  await resettler.page.locator('button[type="submit"]').click();
  await resettler.page.locator('#registration-done').waitFor();

  await open(resettler.page, `/${LANG}/check`);
  await fillCheckerForm(resettler.page, resettlerProfile(iin));
  await resettler.page.locator('#verdict[data-eligible="true"]').waitFor();

  await signIn(resettler.page, iin, resettlerPassword);
  await open(resettler.page, `/${LANG}/vacancies?region=${REGION}`);
  await resettler.page.locator(`a[href$="/vacancy?id=${vacancy.id}"]`).first().waitFor();
  await checkPage(resettler.page, 'vacancies');
  await resettler.page.locator(`a[href$="/vacancy?id=${vacancy.id}"]`).first().click();
  await resettler.page.locator('#apply-link').waitFor();
  await checkPage(resettler.page, 'vacancy');
  await resettler.page.locator('#apply-link').click();
  await resettler.page.waitForURL(/\/my\/apply\?vacancy=/);
  // Filled in from the check.
  await resettler.page.waitForFunction(() => document.querySelector('#birth_date')?.value === '1990-05-14');
  assert.equal(await resettler.page.locator('#current_region').inputValue(), 'turkestan');
  assert.ok((await resettler.page.locator('#portal').textContent()).includes(title), 'the vacancy is named');
  await checkPage(resettler.page, 'apply');
  await resettler.page.locator('form button[type="submit"]').last().click();
  await resettler.page.locator('#application-done').waitFor();
  const mine = await resettler.page.evaluate(async () =>
    (await fetch('/api/v1/applications/mine')).json());
  const application = mine.items[0];
  assert.equal(application.status, 'submitted');
  assert.equal(application.vacancy_id, vacancy.id);

  // The region's officer approves; the remaining quota drops by one.
  const officer = await phonePage(browser);
  await signIn(officer.page, OFFICER.login, OFFICER.password);
  const before = await remainingQuota(officer.page);
  await open(officer.page, `/${LANG}/my/applications`);
  const card = officer.page.locator(`li.application[data-id="${application.id}"]`);
  await card.waitFor();
  await checkPage(officer.page, 'queue');
  await card.locator('button.approve').click();
  await officer.page.waitForFunction(
    ([id, text]) => document.querySelector(`li.application[data-id="${id}"]`)?.textContent.includes(text),
    [application.id, ru.portal.status_approved]);
  const after = await remainingQuota(officer.page);
  assert.equal(after, before - 1, 'one family place taken');
  await checkPage(officer.page, 'quota');

  // The resettler sees the decision.
  await open(resettler.page, `/${LANG}/my`);
  await resettler.page.locator('.application-status[data-status="approved"]').waitFor();
  assert.ok((await resettler.page.locator('.application-status').first().textContent())
    .includes(ru.portal.status_approved));
  await checkPage(resettler.page, 'resettler-home');

  for (const { page, errors } of [employer, resettler, officer]) {
    assert.deepEqual(errors.filter((e) => !e.includes('401')), []);
    await page.context().close();
  }
});

test('a resettler living outside the origin regions is refused with rule E4', async () => {
  const iin = freshIin();
  const password = 'resettler-pass-2027';
  const registered = await fetch(`${base}/api/v1/auth/register/resettler`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ iin, phone: '+77015550000', password }),
  });
  assert.equal(registered.status, 202, await registered.text());

  const { page } = await phonePage(browser);
  await open(page, `/${LANG}/check`);
  await fillCheckerForm(page, { ...resettlerProfile(iin), current_region: 'astana' });
  await page.locator('#verdict[data-eligible="false"]').waitFor();
  await signIn(page, iin, password);
  await open(page, `/${LANG}/my/apply`);
  await page.waitForFunction(() => document.querySelector('#current_region')?.value === 'astana');
  await page.locator('form button[type="submit"]').last().click();
  const refusal = page.locator('#refusal');
  await refusal.waitFor();
  assert.equal(await refusal.locator('[data-rule="E4"]').count(), 1);
  await checkPage(page, 'refused');
  await page.context().close();
});

for (const lang of ['kk', 'en']) {
  test(`the account pages speak ${lang}`, async () => {
    const t = texts[lang];
    const { page, errors } = await phonePage(browser);
    const pages = [
      [`/${lang}/login`, t.pages.login_title],
      [`/${lang}/vacancies`, t.pages.vacancies_title],
      [`/${lang}/my/register`, null],
      [`/${lang}/my/apply`, t.portal.sign_in_needed],
    ];
    for (const [path, expected] of pages) {
      await open(page, path);
      assert.equal(await page.getAttribute('html', 'lang'), lang);
      const text = await page.locator('main').textContent();
      if (expected) assert.ok(text.includes(expected), `${path} shows "${expected}"`);
      // Nothing of the other languages' texts leaks in.
      const other = texts[lang === 'kk' ? 'en' : 'kk'];
      assert.ok(!text.includes(other.account.error_summary_title), `${path} is in ${lang}`);
      await checkPage(page, `${lang}${path.replaceAll('/', '-')}`);
    }
    assert.deepEqual(errors.filter((e) => !e.includes('401')), []);
    await page.context().close();
  });
}
