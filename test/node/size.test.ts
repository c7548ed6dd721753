// `npm run size -- --check`, which npm test runs after the build, fails the run when a path of the
// script-tag file grows past its limit: proven on a copy of dist/ with the element's file made
// bigger, and passing on the copy as built.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPT = join(ROOT, 'scripts', 'size.mjs');

if (!existsSync(join(ROOT, 'dist', 'thinnest-chat.min.js'))) {
  throw new Error('dist/ is missing: run npm run build first (npm test does).');
}

function check(cwd: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, '--check'], { cwd }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, out: stdout + stderr }),
    );
  });
}

test('the size check passes on the build and fails when the first chunk outgrows its budget', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'thinnest-size-'));
  try {
    cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
    const built = await check(dir);
    assert.equal(built.code, 0, built.out);
    assert.match(built.out, /before a bubble is opened \| 1 \|/);

    // 3 KB that brotli cannot shrink, as a comment: the first chunk passes 14 KB.
    appendFileSync(join(dir, 'dist', 'thinnest-chat.min.js'), `\n/* ${randomBytes(3072).toString('base64')} */\n`);
    const grown = await check(dir);
    assert.equal(grown.code, 1, grown.out);
    assert.match(grown.out, /before a bubble is opened: [\d.]+ KB is over its limit of 14 KB/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
