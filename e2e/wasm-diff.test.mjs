// The shared rules compiled to WebAssembly, run in Chromium, must answer every generated
// case exactly as the native build did (`cargo xtask test` prepares both files).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join, extname } from 'node:path';
import { launch } from './browser.mjs';

const dir = process.env.QONYS_DIFF_DIR;
if (!dir) throw new Error('QONYS_DIFF_DIR is not set (run through `cargo xtask test`)');
const types = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };

let server;
let browser;
before(async () => {
  server = createServer((req, res) => {
    const name = req.url === '/' ? '/index.html' : req.url;
    try {
      const body = name === '/index.html' ? '<!doctype html><title>diff</title>' : readFileSync(join(dir, name));
      res.writeHead(200, { 'content-type': types[extname(name)] || 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.close();
});

test('wasm and native builds give identical answers to every generated case', async () => {
  const cases = readFileSync(join(dir, 'cases.json'), 'utf8');
  const native = JSON.parse(readFileSync(join(dir, 'native.json'), 'utf8'));
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  const wasmText = await page.evaluate(async (input) => {
    const m = await import('/wasm_diff.js');
    await m.default({ module_or_path: '/wasm_diff_bg.wasm' });
    return m.evaluate_cases(input);
  }, cases);
  const wasm = JSON.parse(wasmText);
  assert.ok(Array.isArray(wasm), wasmText.slice(0, 200));
  assert.ok(native.length >= 1000, `only ${native.length} cases`);
  assert.equal(wasm.length, native.length);
  const differing = native.map((n, i) => [i, n, wasm[i]])
    .filter(([, n, w]) => JSON.stringify(n) !== JSON.stringify(w));
  assert.equal(differing.length, 0,
    `${differing.length} cases differ; first: ${String(JSON.stringify(differing[0]?.slice(0, 3))).slice(0, 3000)}`);
  console.log(`# ${native.length} cases identical in wasm and native`);
});
