// Headless Chromium for the browser tests: Debian's chromium, never a downloaded build.
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';

export const CHROMIUM = process.env.QONYS_CHROMIUM || '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps calling out to hosts this machine
// cannot reach.
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}

// Fills the checker form field by field, typing where a person types.
export async function fillCheckerForm(page, p) {
  await page.locator('#iin').fill('');
  await page.locator('#iin').pressSequentially(p.iin, { delay: 10 });
  await page.locator('#birth_date').fill(p.birth_date);
  await page.locator('#citizenship').selectOption(p.citizenship);
  await page.locator('#current_region').selectOption(p.current_region);
  await page.locator('#family_size').fill(String(p.family_size));
  await page.locator('#destination_region').selectOption(p.destination);
  await page.locator(`#settlement_${p.settlement}`).check();
  await page.locator('#prior_support').selectOption(p.prior ? 'yes' : 'no');
}

// A page on a 360 px wide phone screen, collecting the page's script errors.
// bypassCSP only lets the tests inject axe-core; the page itself runs under the real CSP.
export async function phonePage(browser) {
  const context = await browser.newContext({
    viewport: { width: 360, height: 800 }, deviceScaleFactor: 1, bypassCSP: true,
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  return { page, errors };
}

const axeSource = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

// axe-core's violations on the page as it is now, one line each.
export async function axeViolations(page) {
  await page.addScriptTag({ path: axeSource });
  const result = await page.evaluate(async () => window.axe.run(document));
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

// Whether the page is no wider than the screen.
export async function pageWidth(page) {
  return page.evaluate(() => document.documentElement.scrollWidth);
}
