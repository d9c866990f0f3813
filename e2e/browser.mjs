// Headless Chromium for the browser tests: Debian's chromium, never a downloaded build.
import { chromium } from 'playwright-core';

export async function launch() {
  const executablePath = process.env.QONYS_CHROMIUM || '/usr/bin/chromium';
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
