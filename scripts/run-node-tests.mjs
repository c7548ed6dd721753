// Runs the Node tests (unit tests of the DOM-free modules, proxy, docs, packaging) with node --test through tsx, and fails when there are none to run:
// node --test exits 0 on an empty file list, which would let CI pass having tested nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

// Directories may be narrowed on the command line: node scripts/run-node-tests.mjs test/server
const named = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const dirs = named.length ? named : ['test/unit', 'test/server', 'test/node'];
const files = dirs
  .filter((dir) => existsSync(dir))
  .flatMap((dir) =>
    readdirSync(dir)
      .filter((name) => name.endsWith('.test.ts'))
      .sort()
      .map((name) => join(dir, name)),
  );
if (files.length === 0) {
  console.error(`No Node tests found in ${dirs.join(', ')} (*.test.ts): refusing to pass having run none.`);
  process.exit(1);
}
// Each file runs in a process of its own, one after another on two cores, and the next starts only when
// one exits. A file whose tests have all finished is ended even if something it started still holds
// the event loop open (--test-force-exit), and a file still running after 10 minutes fails by its name
// (--test-timeout, which Node 20 applies to each file as a whole): a hang ends the run with a named
// failure instead of holding CI until its own limit.
const guards = ['--test-force-exit', '--test-timeout=600000'];
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...guards, ...process.argv.slice(2).filter((arg) => arg.startsWith('-')), ...files], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
