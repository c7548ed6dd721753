// Runs the proxy's tests with node --test through tsx, and fails when there are none to run:
// node --test exits 0 on an empty file list, which would let CI pass having tested nothing.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = 'test/server';
const files = readdirSync(dir)
  .filter((name) => name.endsWith('.test.ts'))
  .sort()
  .map((name) => join(dir, name));
if (files.length === 0) {
  console.error(`No proxy tests found in ${dir}/ (*.test.ts): refusing to pass having run none.`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...process.argv.slice(2), ...files], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
