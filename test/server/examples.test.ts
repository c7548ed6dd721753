// Every deploy recipe in examples/ is imported as users copy it (from 'thinnest-chat/proxy') and driven
// with Request objects against the HTTP fake. The published specifier points at dist/, which tests do
// not build, so a module resolve hook maps it to server/proxy.ts for this test process only.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { register } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { FAKE_AGENT, FAKE_KEY, startFakeThinnest, type FakeThinnest } from './fake-thinnest.js';
import { answer, assertFailure, assertNoKeyInAnswer, chatRequest } from './helpers.js';

const proxySource = new URL('../../server/proxy.ts', import.meta.url).href;
const resolveHook = `export async function resolve(specifier, context, next) {
  return specifier === 'thinnest-chat/proxy' ? next(${JSON.stringify(proxySource)}, context) : next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(resolveHook)}`);

const SHOP = 'https://shop.example';
let fake: FakeThinnest;

before(async () => {
  fake = await startFakeThinnest();
  Object.assign(process.env, {
    THINNEST_API_KEY: FAKE_KEY,
    THINNEST_AGENT_ID: FAKE_AGENT,
    THINNEST_API_BASE: fake.url,
    ALLOWED_ORIGINS: SHOP,
  });
});
after(() => fake.close());

type Handle = (request: Request) => Promise<Response>;

/** The same checks for every recipe: a conversation, the allowlist, and no key in what comes back. */
async function assertRecipeWorks(handle: Handle): Promise<void> {
  const sessionId = `example-${crypto.randomUUID()}`;
  const first = await answer(await handle(chatRequest({ message: 'hello', session_id: sessionId }, { headers: { Origin: SHOP } })));
  assert.equal(first.status, 200, first.text);
  assert.equal(first.json.response, 'echo:hello|turn:1|first:hello');
  assert.equal(first.headers['access-control-allow-origin'], SHOP);
  const second = await answer(await handle(chatRequest({ message: 'again', session_id: sessionId })));
  assert.equal(second.json.response, 'echo:again|turn:2|first:hello');
  assertNoKeyInAnswer(second);

  const foreign = await answer(await handle(chatRequest({ message: 'hi' }, { headers: { Origin: 'https://evil.example' } })));
  assertFailure(foreign, 403, 'forbidden_origin');
  assertFailure(await answer(await handle(chatRequest({ message: '' }))), 400, 'bad_request');
}

/** Sends 31 requests as one client and 1 as another: the 31st must be limited, the other client not. */
async function assertLimitsPerClient(handleAs: (request: Request, client: string) => Promise<Response>): Promise<void> {
  const results: number[] = [];
  for (let i = 0; i < 31; i++) results.push((await handleAs(chatRequest({ message: `n${i}` }), '192.0.2.10')).status);
  assert.deepEqual(results.slice(0, 30), Array(30).fill(200));
  assert.equal(results[30], 429);
  assert.equal((await handleAs(chatRequest({ message: 'other' }), '192.0.2.11')).status, 200);
}

describe('deploy recipes in examples/', () => {
  it('Node: exports the handler and does not listen when imported', async () => {
    const { handler } = await import('../../examples/node/server.js');
    await assertRecipeWorks((request) => handler(request));
    await assertLimitsPerClient((request, ip) => handler(request, { ip }));
  });

  it('Node: on loopback it answers only requests addressed to loopback (a DNS-rebinding page names its own host)', async () => {
    const { serveOnLoopback } = await import('../../examples/node/server.js');
    const asked = (host: string) => serveOnLoopback(chatRequest({ message: 'hi' }, { headers: { Host: host } }), '127.0.0.1');
    const refused = await asked('evil.example:8787');
    assert.equal(refused.status, 403);
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'forbidden_origin');
    for (const host of ['127.0.0.1:8787', 'localhost:8787', '[::1]:8787']) assert.notEqual((await asked(host)).status, 403, host);
  });

  it('Cloudflare Workers: the default export’s fetch reads its env and limits by CF-Connecting-IP', async () => {
    const { default: worker } = await import('../../examples/cloudflare-worker/worker.js');
    const env = { THINNEST_API_KEY: FAKE_KEY, THINNEST_AGENT_ID: FAKE_AGENT, THINNEST_API_BASE: fake.url, ALLOWED_ORIGINS: SHOP };
    await assertRecipeWorks((request) => worker.fetch(request, env));
    await assertLimitsPerClient((request, ip) => {
      request.headers.set('cf-connecting-ip', ip);
      return worker.fetch(request, env);
    });
    const toml = readFileSync(new URL('../../examples/cloudflare-worker/wrangler.toml', import.meta.url), 'utf8');
    assert.match(toml, /^main = "worker\.ts"$/m);
    assert.doesNotMatch(toml, /THINNEST_API_KEY\s*=/, 'the key belongs in a secret, not in wrangler.toml');
  });

  it('Deno: the default export serves with `deno serve` and limits by the remote address', async () => {
    (globalThis as { Deno?: unknown }).Deno = { env: { get: (name: string) => process.env[name] } };
    try {
      const { default: server } = await import('../../examples/deno/main.js');
      const as = (ip: string) => ({ remoteAddr: { hostname: ip } });
      await assertRecipeWorks((request) => server.fetch(request, as('192.0.2.1')));
      await assertLimitsPerClient((request, ip) => server.fetch(request, as(ip)));
    } finally {
      delete (globalThis as { Deno?: unknown }).Deno;
    }
  });

  it('Bun: the default export serves with `bun run` and limits by server.requestIP', async () => {
    const { default: server } = await import('../../examples/bun/server.js');
    assert.equal(server.hostname, '127.0.0.1');
    const as = (ip: string) => ({ requestIP: () => ({ address: ip }) });
    await assertRecipeWorks((request) => server.fetch(request, as('192.0.2.1')));
    await assertLimitsPerClient((request, ip) => server.fetch(request, as(ip)));
  });

  it('Next.js route handler: POST and OPTIONS, built on first request, limited by x-real-ip', async () => {
    const route = await import('../../examples/nextjs/app/api/chat/route.js');
    await assertRecipeWorks(route.POST);
    const preflight = await route.OPTIONS(new Request('http://127.0.0.1:3000/api/chat', {
      method: 'OPTIONS',
      headers: { Origin: SHOP, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    }));
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), SHOP);
    await assertLimitsPerClient((request, ip) => {
      request.headers.set('x-real-ip', ip);
      return route.POST(request);
    });
  });

  it('each recipe imports the proxy only through the published specifier', () => {
    for (const file of ['node/server.ts', 'cloudflare-worker/worker.ts', 'deno/main.ts', 'bun/server.ts', 'nextjs/app/api/chat/route.ts']) {
      const source = readFileSync(new URL(`../../examples/${file}`, import.meta.url), 'utf8');
      assert.match(source, /from 'thinnest-chat\/proxy'/, file);
      assert.doesNotMatch(source, /server\/proxy|\.\.\//, `${file} reaches into the repository`);
    }
  });
});
