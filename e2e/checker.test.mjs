// The eligibility checker as a person uses it, on a 360 px wide phone screen, in each
// language: the page's verdict, rules and amounts must equal the server's answer, and
// axe-core must find no accessibility violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { axeViolations, fillCheckerForm, launch, phonePage as newPhonePage } from './browser.mjs';

const base = process.env.QONYS_E2E_URL;
if (!base) throw new Error('QONYS_E2E_URL is not set (run through `cargo xtask test`)');
const shots = process.env.QONYS_E2E_SHOTS || 'target/e2e';
mkdirSync(shots, { recursive: true });
const LANGS = ['kk', 'ru', 'en'];

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const phonePage = () => newPhonePage(browser);

async function pageAnswer(page) {
  const verdict = page.locator('#verdict[data-eligible]');
  await verdict.waitFor();
  const rules = await page.$$eval('li[data-rule]', (lis) =>
    lis.filter((li) => !li.closest('#server-verdict'))
      .map((li) => ({ id: li.dataset.rule, passed: li.dataset.passed === 'true',
        reason: li.querySelector('.reason')?.textContent.trim() ?? '',
        citation: li.querySelector('.citation')?.textContent.trim() ?? '' })));
  const amounts = await page.$$eval('[data-amount]', (els) =>
    Object.fromEntries(els.filter((e) => !e.closest('#server-verdict'))
      .map((e) => [e.dataset.amount, e.dataset.value])));
  return { eligible: (await verdict.getAttribute('data-eligible')) === 'true', rules, amounts };
}

async function serverAnswer(page, p, lang) {
  // The browser decides for its local date; ask the server about the same date.
  const asOf = await page.evaluate(() => {
    const d = new Date();
    const pad = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  });
  const body = {
    as_of: asOf,
    applicant: { iin: p.iin, birth_date: p.birth_date, citizenship: p.citizenship,
      current_region: p.current_region, prior_resettlement_support: p.prior },
    family_size: p.family_size,
    destination: { region: p.destination, settlement: p.settlement },
  };
  const res = await fetch(`${base}/api/v1/eligibility?lang=${lang}`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, await res.clone().text());
  return res.json();
}

function assertSame(pageView, server) {
  assert.equal(pageView.eligible, server.eligible, 'verdict');
  assert.deepEqual(pageView.rules.map((r) => [r.id, r.passed, r.reason, r.citation]),
    server.rules.map((r) => [r.id, r.passed, r.reason, r.citation]), 'rules');
  if (server.entitlements) {
    for (const key of ['relocation_subsidy', 'monthly_voucher', 'voucher_months', 'employer_housing_limit']) {
      assert.equal(pageView.amounts[key], String(server.entitlements[key]), key);
    }
  } else {
    assert.deepEqual(pageView.amounts, {}, 'no amounts when not eligible');
  }
}

// The MRP in force on a date, read from the published policy.
async function mrpOn(date) {
  const policy = await (await fetch(`${base}/api/v1/policy`)).json();
  const values = policy.parameters.mrp.values.filter((v) => v.from <= date);
  return Number(values.sort((a, b) => a.from.localeCompare(b.from)).at(-1).value);
}

const eligibleFamily = {
  iin: '900514300121', birth_date: '1990-05-14', citizenship: 'citizen',
  current_region: 'turkestan', family_size: 3, destination: 'north_kazakhstan',
  settlement: 'urban', prior: false,
};

for (const lang of LANGS) {
  test(`checker in ${lang}: an eligible family sees the server's verdict, rules and amounts`, async () => {
    const { page, errors } = await phonePage();
    await page.goto(`${base}/${lang}/check`);
    assert.equal(await page.getAttribute('html', 'lang'), lang);
    await fillCheckerForm(page, eligibleFamily);
    const server = await serverAnswer(page, eligibleFamily, lang);
    assert.equal(server.eligible, true, JSON.stringify(server.rules));
    const shown = await pageAnswer(page);
    assertSame(shown, server);
    assert.equal(shown.rules.length, 7);
    // The SPEC §3 worked example by its own formula, with the MRP in force on that date:
    // 70 MRP per member × 3, the urban 2–3 member band of 25 MRP, 450 MRP for the employer.
    const mrp = await mrpOn(server.as_of);
    assert.deepEqual(
      [shown.amounts.relocation_subsidy, shown.amounts.monthly_voucher, shown.amounts.voucher_months,
        shown.amounts.employer_housing_limit],
      [String(70 * mrp * 3), String(25 * mrp), '12', String(450 * mrp)]);

    await page.locator('#check-server').click();
    const serverVerdict = page.locator('#server-verdict[data-agrees]');
    await serverVerdict.waitFor();
    assert.equal(await serverVerdict.getAttribute('data-agrees'), 'true');
    assert.equal(await serverVerdict.getAttribute('data-eligible'), 'true');

    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `page is ${width}px wide on a 360px screen`);
    await page.screenshot({ path: `${shots}/checker-${lang}.png`, fullPage: true });
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  test(`checker in ${lang}: a family from a non-origin region sees why, as the server does`, async () => {
    const { page } = await phonePage();
    await page.goto(`${base}/${lang}/check`);
    const family = { ...eligibleFamily, current_region: 'astana', prior: true, family_size: 5 };
    await fillCheckerForm(page, family);
    const server = await serverAnswer(page, family, lang);
    assert.equal(server.eligible, false);
    const shown = await pageAnswer(page);
    assertSame(shown, server);
    const failed = shown.rules.filter((r) => !r.passed).map((r) => r.id);
    assert.deepEqual(failed, ['E4', 'E6']);
    assert.deepEqual(await axeViolations(page), []);
    await page.context().close();
  });

  test(`home page in ${lang} is accessible and fits a phone`, async () => {
    const { page, errors } = await phonePage();
    await page.goto(`${base}/${lang}/`);
    await page.locator('h1').waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), lang);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `page is ${width}px wide on a 360px screen`);
    await page.screenshot({ path: `${shots}/home-${lang}.png`, fullPage: true });
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(errors, []);
    await page.context().close();
  });
}

test('the chosen language is remembered and is part of the URL', async () => {
  const { page } = await phonePage();
  await page.goto(`${base}/en/check`);
  await page.locator('a[hreflang="ru"]').first().click();
  await page.waitForURL(/\/ru\/check$/);
  assert.equal(await page.getAttribute('html', 'lang'), 'ru');
  await page.goto(`${base}/`);
  await page.waitForURL(/\/ru\/?$/);
  await page.context().close();
});
