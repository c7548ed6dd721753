// src/configuration.ts, without a browser: which proxy-url and headers a site owner may configure,
// and the storage key a widget keeps its conversation under. A relative or protocol-relative
// proxy-url is resolved against the page's address, which Node has not: those cases run in the
// browser (test/nothing-lost.test.ts, test/persistence.test.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { configurationProblem, storageKeyFor } from '../../src/configuration.js';
import { includes } from './helpers.js';

/** A proxy on the site's own origin, spelled absolutely: there is no page to resolve `/api/chat` against. */
const PROXY = 'https://shop.example/api/chat';

describe('configurationProblem', () => {
  it('accepts an absolute http(s) proxy URL and harmless headers', () => {
    assert.equal(configurationProblem('https://example.com/api/chat', { 'X-CSRF-Token': 'abc123' }), null);
    assert.equal(configurationProblem('http://localhost:8787/api/chat', undefined), null);
  });

  it('asks for a proxy-url when there is none', () => {
    assert.ok(includes(configurationProblem(undefined, {}), 'set the proxy-url'));
    assert.ok(includes(configurationProblem('', {}), 'set the proxy-url'));
  });

  for (const url of [
    'https://api.thinnest.ai/v1/agents/a1/chat',
    'HTTPS://API.THINNEST.AI/v1/agents/a1/chat',
    'https://Api.Thinnest.Ai:443/',
    'https://api.thinnest.ai./v1/agents/a1/chat',
    'http://api.thinnest.ai/',
    'https://user:pass@api.thinnest.ai/',
    'https://api%2Ethinnest%2Eai/',
  ]) {
    it(`refuses ${url}: keys belong on a proxy`, () => {
      const problem = configurationProblem(url, {});
      assert.equal(typeof problem, 'string');
      assert.ok(includes(problem, 'api.thinnest.ai'), String(problem));
      assert.ok(includes(problem, 'proxy'), String(problem));
    });
  }

  it('does not mistake other hosts for the API', () => {
    assert.equal(configurationProblem('https://api.thinnest.ai.example.com/chat', {}), null);
    assert.equal(configurationProblem('https://example.com/api.thinnest.ai', {}), null);
  });

  for (const url of ['javascript:alert(1)', 'JavaScript:alert(1)', 'data:text/plain,hi', 'ftp://example.com/chat']) {
    it(`refuses the non-http URL ${url}`, () => {
      assert.ok(includes(configurationProblem(url, {}), 'must be an http(s) URL'));
    });
  }

  it('refuses a URL it cannot parse', () => {
    assert.ok(includes(configurationProblem('http://[::1', {}), 'is not a valid URL'));
  });

  for (const value of ['agno_live_abc', 'Bearer agno_abc', 'Bearer AGNO_ABC']) {
    it(`refuses a header value that looks like an Agent API key (${value})`, () => {
      const problem = configurationProblem(PROXY, { Authorization: value });
      assert.ok(includes(problem, 'Agent API key'), String(problem));
      assert.ok(includes(problem, 'Authorization'), String(problem));
      assert.ok(!includes(problem, value), 'the key is not repeated');
    });
  }

  for (const name of ['Bad Header', 'x:y', 'caf\u00e9', '', 'x\ny']) {
    it(`refuses the invalid header name ${JSON.stringify(name)}`, () => {
      assert.ok(includes(configurationProblem(PROXY, { [name]: 'v' }), 'is not a valid header name'));
    });
  }

  it('refuses a header value that is not a string', () => {
    const headers = { 'X-Count': 3 } as unknown as Record<string, string>;
    assert.ok(includes(configurationProblem(PROXY, headers), 'must be a string'));
  });
});

describe('storageKeyFor', () => {
  it('namespaces an explicit storage-key', () => {
    assert.equal(storageKeyFor('support', '/api/chat'), 'thinnest-chat:support');
    assert.equal(storageKeyFor('support', undefined), 'thinnest-chat:support');
  });

  it('derives the key from an absolute proxy-url when there is no storage-key, scheme and host in lower case', () => {
    assert.equal(storageKeyFor(undefined, 'HTTPS://Example.COM/api/chat'), 'thinnest-chat:https://example.com/api/chat');
  });

  it('gives proxies on different hosts different keys', () => {
    assert.notEqual(storageKeyFor(undefined, 'https://one.example/chat'), storageKeyFor(undefined, 'https://two.example/chat'));
  });

  it('still makes a distinct key from a URL it cannot parse, without throwing', () => {
    assert.equal(storageKeyFor(undefined, 'http://[::1'), 'thinnest-chat:http://[::1');
  });
});
