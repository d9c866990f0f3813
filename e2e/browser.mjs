// Headless Chromium for the browser tests: Debian's chromium, never a downloaded build.
import { chromium } from 'playwright-core';

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
