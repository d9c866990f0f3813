// The tripartite contract end to end, on 360 px phone screens in Russian: the region's
// officer creates a contract from an approved application; resettler, employer and officer
// each make a signing key in their own browser and sign; the contract becomes active. Then
// two years pass (the same database, the server restarted with `--today` every two months),
// the state feed confirms the 24 months, the last file uploaded by the admin in the browser,
// and the employer sees the housing payout in the ledger.
//
// The test runs its own server (QONYS_E2E_SERVER, QONYS_E2E_SITE) on a fresh SQLite file,
// because it needs to move the server's day forward.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { axeViolations, launch, pageWidth, phonePage } from './browser.mjs';

const binary = process.env.QONYS_E2E_SERVER;
const site = process.env.QONYS_E2E_SITE;
if (!binary || !site) throw new Error('QONYS_E2E_SERVER or QONYS_E2E_SITE is not set (run through `cargo xtask test`)');
const shots = process.env.QONYS_E2E_SHOTS || 'target/e2e';
mkdirSync(shots, { recursive: true });

const LANG = 'ru';
const REGION = 'north_kazakhstan';
const PASSPHRASE = 'мой ключ подписи 2026';

let browser;
let work;
let server;
before(async () => {
  browser = await launch();
  work = mkdtempSync(join(tmpdir(), 'qonys-contract-'));
});
after(async () => {
  await browser?.close();
  await stop(server);
  rmSync(work, { recursive: true, force: true });
});

// A free port on 127.0.0.1.
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

// Starts the server on the test's database; `today` (YYYY-MM-DD) moves its day.
async function startServer({ demo = false, today } = {}) {
  const port = await freePort();
  const args = ['--listen', `127.0.0.1:${port}`, '--site', site,
    '--database', `sqlite://${join(work, 'contract.db')}?mode=rwc`];
  if (demo) args.push('--demo');
  if (today) args.push('--today', today);
  const log = [];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d) => log.push(String(d)));
  child.stderr.on('data', (d) => log.push(String(d)));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited:\n${log.join('')}`);
    try {
      if ((await fetch(`${url}/api/v1/health`)).ok) return { child, url, log };
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`the server did not answer within a minute:\n${log.join('')}`);
}

async function stop(running) {
  if (!running || running.child.exitCode !== null) return;
  const exited = new Promise((r) => running.child.once('exit', r));
  running.child.kill('SIGTERM');
  await exited;
}

function withCheckDigit(first11) {
  const d = [...first11].map(Number);
  for (const w of [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]]) {
    const c = d.reduce((sum, x, i) => sum + x * w[i], 0) % 11;
    if (c !== 10) return first11 + c;
  }
  return null;
}
function freshNumber(prefix) {
  for (;;) {
    const n = withCheckDigit(prefix + String(Math.floor(Math.random() * 1e4)).padStart(4, '0'));
    if (n) return n;
  }
}

// Calls the API as a browser on the portal's own origin would; `csrf` once signed in.
async function api(request, method, path, data, csrf) {
  const headers = { origin: server.url, 'content-type': 'application/json' };
  if (csrf) headers['x-csrf-token'] = csrf;
  const response = await request.fetch(`${server.url}/api/v1${path}`, { method, headers, data });
  const text = await response.text();
  return { status: response.status(), body: text ? JSON.parse(text) : null };
}

async function signedIn(request, login, password) {
  const session = await api(request, 'POST', '/auth/login', { login, password });
  assert.equal(session.status, 200, JSON.stringify(session.body));
  return session.body.csrf_token;
}

// A phone-sized page signed in as `login`, with its CSRF token for API calls.
async function person(login, password) {
  const { page, errors } = await phonePage(browser);
  const csrf = await signedIn(page.context().request, login, password);
  return { page, errors, csrf, request: page.context().request };
}

async function open(page, path, lang = LANG) {
  await page.goto(`${server.url}/${lang}/my/${path}`);
  await page.locator('body[data-started="true"]').waitFor();
}

async function checkPage(page, name) {
  assert.ok(await pageWidth(page) <= 360, `${name}: fits a 360 px screen`);
  assert.deepEqual(await axeViolations(page), [], `${name}: accessibility`);
  await page.screenshot({ path: `${shots}/contract-${name}.png`, fullPage: true });
}

// Makes a signing key in this browser and registers it.
async function makeKey(page, name) {
  await open(page, 'key');
  await page.locator('#key-passphrase').fill(PASSPHRASE);
  await page.locator('#key-passphrase-again').fill(PASSPHRASE);
  await page.locator('#create-key').click();
  await page.locator('#key-fingerprint').waitFor({ timeout: 30000 });
  assert.match(await page.locator('#key-fingerprint').textContent(), /[0-9a-f]{16}/);
  await checkPage(page, `${name}-key`);
}

// Signs contract `id` in this browser.
async function sign(page, id, party, name) {
  await open(page, `contracts/${id}`);
  await page.locator(`#party-${party}[data-signed="false"]`).waitFor();
  await page.locator('#sign-passphrase').fill(PASSPHRASE);
  await page.locator('#sign-button').click();
  await page.locator(`#party-${party}[data-signed="true"]`).waitFor({ timeout: 30000 });
  await checkPage(page, `${name}-signed`);
}

const month = (date) => date.toISOString().slice(0, 7);
function addMonths(ym, n) {
  const [y, m] = ym.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return month(d);
}

test('three parties sign in the browser; 24 confirmed months pay the employer', async () => {
  server = await startServer({ demo: true });

  // An employer with a vacancy, a resettler who applies to it, the officer approves.
  const bin = freshNumber('2503401');
  const iin = freshNumber('9005143');
  const anon = await browser.newContext();
  const employerPassword = 'employer-pass-2026';
  const resettlerPassword = 'resettler-pass-2026';
  assert.equal((await api(anon.request, 'POST', '/auth/register/employer', {
    bin, organisation: 'ТОО «Кокшетау Агро»', contact: 'Айгуль, +7 701 000 11 22',
    password: employerPassword,
  })).status, 202);
  assert.equal((await api(anon.request, 'POST', '/auth/register/resettler',
    { iin, phone: '+7 701 444 55 66', password: resettlerPassword })).status, 202);
  await anon.close();

  const employer = await person(bin, employerPassword);
  const vacancy = await api(employer.request, 'POST', '/vacancies', {
    title: 'Механизатор', description: 'Уборка зерновых, ремонт техники.', region: REGION,
    settlement: 'rural', monthly_salary: '320000', places: 2, housing_provided: true,
  }, employer.csrf);
  assert.equal(vacancy.status, 201, JSON.stringify(vacancy.body));

  const resettler = await person(iin, resettlerPassword);
  const application = await api(resettler.request, 'POST', '/applications', {
    family_members: [], destination: { region: REGION, settlement: 'rural' },
    vacancy_id: vacancy.body.id, birth_date: '1990-05-14', citizenship: 'citizen',
    current_region: 'turkestan', prior_resettlement_support: false,
  }, resettler.csrf);
  assert.equal(application.status, 201, JSON.stringify(application.body));

  const officer = await person('akimat.north', 'demo-akimat-north');
  const approved = await api(officer.request, 'POST',
    `/applications/${application.body.id}/approve`, {}, officer.csrf);
  assert.equal(approved.status, 200, JSON.stringify(approved.body));

  // The officer creates the contract from the approved application.
  await open(officer.page, `contracts/new?application=${application.body.id}`);
  const start = await officer.page.locator('#start_month').inputValue();
  assert.equal(start, addMonths(month(new Date()), 1), 'starts next month by default');
  await officer.page.locator('#declared_housing_costs').fill('900000');
  await checkPage(officer.page, 'new');
  await officer.page.locator('#create-contract').click();
  await officer.page.waitForURL(/\/my\/contracts\/\d+$/);
  const id = Number(officer.page.url().match(/contracts\/(\d+)$/)[1]);
  await officer.page.locator('#contract-stage[data-stage="signing"]').waitFor();
  const fingerprint = (await officer.page.locator('#fingerprint').textContent()).trim();
  assert.match(fingerprint, /^[0-9a-f]{64}$/);

  // Each party makes a key in their own browser and signs; the private key never leaves it.
  const posted = [];
  for (const p of [resettler, employer, officer]) {
    p.page.on('request', (r) => { if (r.method() === 'POST') posted.push(r.postData() ?? ''); });
  }
  await makeKey(resettler.page, 'resettler');
  await sign(resettler.page, id, 'resettler', 'resettler');
  await makeKey(employer.page, 'employer');
  await sign(employer.page, id, 'employer', 'employer');
  let contract = (await api(officer.request, 'GET', `/contracts/${id}`)).body;
  assert.equal(contract.stage, 'signing', 'two of three signatures: not yet active');
  await makeKey(officer.page, 'officer');
  await sign(officer.page, id, 'akimat', 'officer');
  await officer.page.locator('#contract-stage[data-stage="active"]').waitFor();
  assert.equal((await officer.page.locator('#fingerprint').textContent()).trim(), fingerprint);
  const stored = await resettler.page.evaluate(() => Object.entries(localStorage)
    .filter(([k]) => k.startsWith('qonys.signing-key.')).map(([, v]) => JSON.parse(v)));
  assert.equal(stored.length, 1, 'the resettler\'s browser keeps one sealed key');
  assert.ok(!posted.some((body) => body.includes(stored[0].sealed)), 'the sealed key is never sent');

  // The officer's list of the region's contracts, filtered: the new one is active, the
  // demo's at-risk contract is at risk.
  await open(officer.page, 'contracts?filter=active');
  await officer.page.locator(`#contracts li[data-contract-id="${id}"]`).waitFor();
  await checkPage(officer.page, 'list');
  await officer.page.locator('#contract-filter').selectOption('at_risk');
  await officer.page.locator('#apply-filter').click();
  await officer.page.waitForURL(/filter=at_risk/);
  await officer.page.locator('#contracts li[data-contract-id]').first().waitFor();
  assert.equal(await officer.page.locator(`#contracts li[data-contract-id="${id}"]`).count(), 0);

  // The printable contract: terms, the 24-month schedule, the three signatures.
  await open(employer.page, `contracts/${id}/print`);
  await employer.page.getByText(fingerprint).first().waitFor();
  await checkPage(employer.page, 'print');
  await employer.page.emulateMedia({ media: 'print' });
  await employer.page.screenshot({ path: `${shots}/contract-print-media.png`, fullPage: true });
  await employer.page.emulateMedia({ media: 'screen' });

  // Two years pass. Every two months the server restarts on the same database, its day two
  // months on, and the registries' file of the two months just ended arrives (a contract
  // with three unconfirmed months in a row is breached, so the feed cannot wait longer).
  // The last file is uploaded by the admin in the browser.
  for (const p of [resettler, employer, officer]) await p.page.context().close();
  const header = 'iin,bin,month,resident,employed,social_paid,pension_paid';
  const file = (months) => `${[header, ...months.map((m) => `${iin},${bin},${m},1,1,1,1`)].join('\n')}\n`;
  let admin;
  for (let n = 0; n < 24; n += 2) {
    await stop(server);
    server = await startServer({ today: `${addMonths(start, n + 2)}-01` });
    admin ??= await person('admin', 'demo-admin-1');
    const months = [addMonths(start, n), addMonths(start, n + 1)];
    if (n + 2 < 24) {
      const response = await admin.request.fetch(`${server.url}/api/v1/feed/confirmations`, {
        method: 'POST', data: file(months),
        headers: { origin: server.url, 'content-type': 'text/csv', 'x-csrf-token': admin.csrf },
      });
      const report = await response.json();
      assert.equal(report.accepted, 2, JSON.stringify(report));
      continue;
    }
    const path = join(work, 'confirmations.csv');
    writeFileSync(path, file(months));
    await open(admin.page, 'feed');
    await admin.page.locator('#feed-file').setInputFiles(path);
    await admin.page.locator('#feed-upload').click();
    await admin.page.locator('#feed-report').waitFor({ timeout: 60000 });
    assert.equal((await admin.page.locator('#feed-accepted').textContent()).replace(/\D/g, ''), '2');
    await checkPage(admin.page, 'feed');
  }

  // The employer sees the contract fulfilled and the payout posted in the ledger.
  const employerLater = await person(bin, employerPassword);
  await open(employerLater.page, `contracts/${id}`);
  await employerLater.page.locator('#contract-stage[data-stage="fulfilled"]').waitFor();
  const payout = employerLater.page.locator('#payout');
  await payout.waitFor();
  contract = (await api(employerLater.request, 'GET', `/contracts/${id}`)).body;
  assert.ok(contract.payout, JSON.stringify(contract));
  assert.equal(await payout.getAttribute('data-transfer-id'), contract.payout.transfer_id);
  const expected = Math.min(900000, Number(contract.terms.housing_limit));
  assert.equal(Number(contract.payout.amount), expected, 'min(declared costs, 450 MRP)');
  assert.equal(await employerLater.page.locator('#timeline li[data-state="confirmed"]').count(), 24);
  await checkPage(employerLater.page, 'fulfilled');
  for (const lang of ['kk', 'en']) {
    await open(employerLater.page, `contracts/${id}`, lang);
    await employerLater.page.locator('#contract-stage[data-stage="fulfilled"]').waitFor();
    assert.equal(await employerLater.page.getAttribute('html', 'lang'), lang);
    await checkPage(employerLater.page, `fulfilled-${lang}`);
  }

  for (const p of [resettler, employer, officer, admin, employerLater]) {
    assert.deepEqual(p.errors.filter((e) => !/40[13]|409|422/.test(e)), []);
  }
});
