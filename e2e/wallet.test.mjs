// The housing voucher in the wallet, on a 360 px phone screen in Russian: a resettler whose
// application was just approved sees this month's voucher, pays a verified landlord inside
// the region and sees the balance drop; paying a landlord outside the region is refused
// with the geo-fence's reason and nothing moves. axe-core finds nothing on the way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { axeViolations, launch, pageWidth, phonePage } from './browser.mjs';

const base = process.env.QONYS_E2E_URL;
if (!base) throw new Error('QONYS_E2E_URL is not set (run through `cargo xtask test`)');
const shots = process.env.QONYS_E2E_SHOTS || 'target/e2e';
mkdirSync(shots, { recursive: true });

const LANG = 'ru';
const REGION = 'north_kazakhstan';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// An IIN with a valid check digit (the rule of shared/src/iin.rs), born 21 July 1991.
function freshIin() {
  for (;;) {
    const first = `9107213${String(Math.floor(Math.random() * 1e4)).padStart(4, '0')}`;
    const d = [...first].map(Number);
    for (const w of [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]]) {
      const c = d.reduce((sum, x, i) => sum + x * w[i], 0) % 11;
      if (c !== 10) return first + c;
    }
  }
}

// Calls the API as a browser on the portal's own origin would; `csrf` once signed in.
async function api(request, method, path, data, csrf) {
  const headers = { origin: base, 'content-type': 'application/json' };
  if (csrf) headers['x-csrf-token'] = csrf;
  const response = await request.fetch(`${base}/api/v1${path}`, { method, headers, data });
  const text = await response.text();
  return { status: response.status(), body: text ? JSON.parse(text) : null };
}

async function signedIn(request, login, password) {
  const session = await api(request, 'POST', '/auth/login', { login, password });
  assert.equal(session.status, 200, JSON.stringify(session.body));
  return session.body.csrf_token;
}

const tenge = (text) => Number(text.replace(/[^\d,.]/g, '').replace(',', '.'));

test('an approved resettler pays a landlord in the region; one outside is refused', async () => {
  const { page, errors } = await phonePage(browser);
  const request = page.context().request;

  // A resettler applies (through the API) and the region's officer approves.
  const iin = freshIin();
  const password = 'wallet-pass-2026';
  const registered = await api(request, 'POST', '/auth/register/resettler',
    { iin, phone: '+7 701 444 55 66', password });
  assert.equal(registered.status, 202);
  let csrf = await signedIn(request, iin, password);
  const submitted = await api(request, 'POST', '/applications', {
    family_members: [], destination: { region: REGION, settlement: 'urban' },
    birth_date: '1991-07-21', citizenship: 'citizen', current_region: 'turkestan',
    prior_resettlement_support: false,
  }, csrf);
  assert.equal(submitted.status, 201, JSON.stringify(submitted.body));
  const officer = await browser.newContext();
  const officerCsrf = await signedIn(officer.request, 'akimat.north', 'demo-akimat-north');
  const approved = await api(officer.request, 'POST',
    `/applications/${submitted.body.id}/approve`, {}, officerCsrf);
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  await officer.close();

  // The payees a resettler can choose from: the demo's verified landlords.
  const payees = (await api(request, 'GET', `/payees?region=${REGION}`)).body.items;
  const inside = payees.find((p) => p.category === 'rent' && p.inside_region);
  const outside = payees.find((p) => p.category === 'rent' && !p.inside_region);
  assert.ok(inside && outside, JSON.stringify(payees));

  // The wallet shows this month's voucher.
  await page.goto(`${base}/${LANG}/my/wallet`);
  await page.locator('body[data-started="true"]').waitFor();
  const month = new Date().toISOString().slice(0, 7);
  await page.locator(`li.voucher[data-month="${month}"]`).waitFor();
  const balance = page.locator('#wallet-balance');
  const before = tenge(await balance.textContent());
  assert.ok(before > 0, 'a voucher to spend');
  assert.equal(await page.locator('#wallet-map svg[role="img"] path').count() > 0, true, 'the region on a map');
  assert.equal(await page.locator('#wallet-map circle.payee-point').count() > 0, true, 'payees on the map');
  assert.ok(await pageWidth(page) <= 360, 'fits a 360 px screen');
  await page.screenshot({ path: `${shots}/wallet.png`, fullPage: true });
  assert.deepEqual(await axeViolations(page), [], 'wallet: accessibility');

  // Paying the landlord inside the region.
  await page.locator('#payee').selectOption(String(inside.id));
  await page.locator('#category_rent').check();
  await page.locator('#amount').fill('10000');
  await page.locator('#review-pay').click();
  await page.locator('#confirm-pay').click();
  await page.locator('#payment-done').waitFor();
  await page.waitForFunction(
    ([expected]) => {
      const text = document.querySelector('#wallet-balance')?.textContent ?? '';
      return Number(text.replace(/[^\d,.]/g, '').replace(',', '.')) === expected;
    },
    [before - 10000]);

  // Paying the one outside: refused with the geo-fence's reason, nothing moves.
  await page.locator('#payee').selectOption(String(outside.id));
  await page.locator('#category_rent').check();
  await page.locator('#amount').fill('5000');
  await page.locator('#review-pay').click();
  await page.locator('#confirm-pay').click();
  const refused = page.locator('#payment-refused');
  await refused.waitFor();
  assert.equal(await refused.getAttribute('data-code'), 'outside_geofence');
  await page.screenshot({ path: `${shots}/wallet-refused.png`, fullPage: true });
  assert.deepEqual(await axeViolations(page), [], 'refusal: accessibility');
  const wallet = (await api(request, 'GET', '/wallet')).body;
  assert.equal(Number(wallet.balance), before - 10000, 'nothing moved on the refusal');
  assert.equal(wallet.history.filter((e) => e.kind === 'payment').length, 1);
  assert.equal(wallet.history.find((e) => e.kind === 'payment').payee, inside.name);

  assert.deepEqual(errors.filter((e) => !/40[13]|422/.test(e)), []);
  await page.context().close();
});
