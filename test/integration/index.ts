/**
 * The extension-host side of the integration tests: VS Code loads this module (the
 * `extensionTestsPath`) and calls `run()`; the host exits with 0 or 1 when it settles.
 */
import * as fs from 'fs';
import Mocha from 'mocha';
import * as path from 'path';
import { removeScratchDirs } from './helpers';

const ROOT = path.resolve(__dirname, '..', '..', '..');

export function run(): Promise<void> {
  const resultFile = process.env.EXT_TEST_RESULT ?? path.join(ROOT, '.ci-out', 'ext-test-result.json');
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 30000 });
  for (const file of fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js'))) {
    mocha.addFile(path.join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    const results: { title: string; ok: boolean; error?: string }[] = [];
    const runner = mocha.run((failures) => {
      removeScratchDirs();
      fs.mkdirSync(path.dirname(resultFile), { recursive: true });
      fs.writeFileSync(resultFile, JSON.stringify({ failures, results }, null, 2));
      if (failures) reject(new Error(`${failures} integration tests failed.`));
      else resolve();
    });
    runner.on('pass', (t) => results.push({ title: t.fullTitle(), ok: true }));
    runner.on('fail', (t, error) => results.push({ title: t.fullTitle(), ok: false, error: String(error?.stack ?? error) }));
  });
}
