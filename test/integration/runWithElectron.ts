/**
 * Runs the integration tests in a local desktop VS Code (VSCODE_EXECUTABLE) through
 * @vscode/test-electron. Never downloads: without the variable it refuses to run.
 */
import { runTests } from '@vscode/test-electron';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..', '..');

async function main(): Promise<void> {
  const vscodeExecutablePath = process.env.VSCODE_EXECUTABLE;
  if (!vscodeExecutablePath) throw new Error('set VSCODE_EXECUTABLE to a local VS Code executable');
  await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: path.join(__dirname, 'index.js'),
    launchArgs: [path.join(ROOT, 'demo'), '--disable-extensions'],
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
