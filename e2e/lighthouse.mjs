// One Lighthouse run of one page in Debian's Chromium (never a downloaded build), on
// Lighthouse's default configuration: mobile, simulated throttling, all four categories.
//
//   node e2e/lighthouse.mjs URL REPORT.json
//
// Writes the JSON report (the Lighthouse result) to REPORT.json; `cargo xtask lighthouse`
// reads the scores from it. Exits non-zero only when no report could be made.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { CHROMIUM, CHROMIUM_FLAGS } from './browser.mjs';

const [url, reportPath] = process.argv.slice(2);
if (!url || !reportPath) {
  console.error('usage: node e2e/lighthouse.mjs URL REPORT.json');
  process.exit(2);
}

// The same flags as the browser tests (e2e/browser.mjs), and a fresh profile every run.
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qonys-lighthouse-'));
let chrome;
try {
  chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM,
    userDataDir,
    chromeFlags: ['--headless', ...CHROMIUM_FLAGS],
  });
  const result = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error' });
  if (!result) throw new Error('Lighthouse returned no result');
  fs.mkdirSync(path.dirname(reportPath), { recursive: true });
  fs.writeFileSync(reportPath, result.report);
} catch (e) {
  console.error(`lighthouse ${url}: ${e?.stack ?? e}`);
  process.exitCode = 1;
} finally {
  if (chrome) await chrome.kill();
  fs.rmSync(userDataDir, { recursive: true, force: true, maxRetries: 5 });
}
