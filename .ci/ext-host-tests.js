// usage: CODE_SERVER_URL=http://127.0.0.1:PORT node .ci/ext-host-tests.js <extDevPath> <extTestsPath> <workspaceFolder>
// Runs the integration tests in code-server's real Node extension host: headless Chromium opens the
// workbench with a `payload` (needs the server's enable-smoke-test-driver), and the workbench reports
// the test extension host's exit code through window.codeAutomationExit.
const { chromium } = require('playwright-core');
const path = require('path');
const util = require('util');

const [, , devPath, testsPath, folder] = process.argv;
const server = process.env.CODE_SERVER_URL;
const t0 = Date.now();

(async () => {
  if (!server || !folder) throw new Error('usage: CODE_SERVER_URL=... node .ci/ext-host-tests.js <extDevPath> <extTestsPath> <workspaceFolder>');
  const host = new URL(server).host;
  const remote = (p) => `vscode-remote://${host}${path.resolve(p)}`; // remote authority = host:port of the page
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', remote(devPath)],
    ['extensionTestsPath', remote(testsPath)],
    ['skipWelcome', 'true'],
    ...(process.env.EXT_HOST_ENV ? [['extensionEnvironment', process.env.EXT_HOST_ENV]] : []),
  ]);
  const url = `${server}/?folder=${encodeURIComponent(path.resolve(folder))}&payload=${encodeURIComponent(payload)}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage();
  let done;
  const finished = new Promise((resolve) => (done = resolve));
  await page.exposeFunction('codeAutomationLog', (type, args) => console.log(`[exthost:${type}] ` + util.format(...(args || []))));
  await page.exposeFunction('codeAutomationExit', (code) => done(code));
  page.on('console', (m) => { if (process.env.VERBOSE) console.log('[page]', m.text()); });
  page.on('pageerror', (e) => console.log('[pageerror]', e.message));
  await page.goto(url);
  const timeout = +(process.env.TEST_TIMEOUT_MS || 240000);
  const code = await Promise.race([finished, new Promise((resolve) => setTimeout(() => resolve('timeout'), timeout))]);
  if (code === 'timeout') {
    await page.screenshot({ path: path.join(__dirname, '..', '.ci-out', 'ext-host-tests-timeout.png') }).catch(() => {});
  }
  console.log(`exit code from extension host: ${code} after ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  await browser.close();
  process.exit(code === 0 ? 0 : 1);
})().catch((e) => {
  console.error(e);
  process.exit(2);
});
