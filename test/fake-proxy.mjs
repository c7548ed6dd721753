// A real HTTP fake of the proxy (SPEC §2) for the browser tests, mounted as web-test-runner
// middleware. Each test picks a unique id and a script of steps in its proxy-url:
//   /fake/<id>/<step>,<step>,...   the nth request plays the nth step; the last one repeats
//   GET /fake/<id>/_requests       what that id received: [{method, headers, body}]
// Steps: ok | echo (reply = the message) | md | adopt (answers another session id) |
//   s<status>[r<seconds>] (error status, optional Retry-After) | hang | slow<ms> | drop |
//   html (200 text/html) | html<status> | false (success:false) | shape (wrong JSON shape) | empty

const requests = new Map();

const MARKDOWN_REPLY = [
  '## Plans',
  '',
  'Here is what we offer:',
  '',
  '- **Starter**: 1 agent',
  '- **Team**: 5 agents, see [pricing](https://example.com/pricing)',
  '',
  '| Plan | Price |',
  '| --- | --- |',
  '| Starter | $0 |',
  '| Team | $49 |',
  '',
  '```js',
  "console.log('hello');",
  '```',
].join('\n');

function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

function send(ctx, status, body, type = 'application/json', headers = {}) {
  ctx.status = status;
  ctx.type = type;
  for (const [name, value] of Object.entries(headers)) ctx.set(name, value);
  ctx.body = typeof body === 'string' ? body : JSON.stringify(body);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function fakeProxy() {
  return async function fakeProxyMiddleware(ctx, next) {
    const match = /^\/fake\/([\w-]+)\/([\w,-]+)$/.exec(ctx.path);
    if (!match) return next();
    const [, id, script] = match;
    if (script === '_requests') {
      send(ctx, 200, requests.get(id) ?? []);
      return;
    }
    if (ctx.method === 'OPTIONS') {
      ctx.status = 204;
      return;
    }
    const raw = await readBody(ctx.req);
    const log = requests.get(id) ?? [];
    requests.set(id, log);
    log.push({ method: ctx.method, headers: ctx.headers, body: raw });
    const steps = script.split(',');
    const step = steps[Math.min(log.length - 1, steps.length - 1)];
    let parsed = {};
    try {
      parsed = JSON.parse(raw);
    } catch {
      // a broken body is answered like a real proxy would
      send(ctx, 400, { success: false, error: { code: 'bad_request', message: 'Body must be JSON.' } });
      return;
    }
    const sessionId = parsed.session_id ?? 'fake-session';
    const ok = (response, session = sessionId) =>
      send(ctx, 200, { success: true, response, session_id: session, metadata: { model: 'fake', latency_ms: 1 } });

    const status = /^s(\d{3})(?:r(\d+))?$/.exec(step);
    const slow = /^slow(\d+)$/.exec(step);
    const html = /^html(\d{3})?$/.exec(step);
    if (step === 'ok') return ok(`Reply ${log.length} to: ${parsed.message}`);
    if (step === 'echo') return ok(parsed.message);
    if (step === 'md') return ok(MARKDOWN_REPLY);
    if (step === 'adopt') return ok(`Adopted reply ${log.length}`, `server-${id}`);
    if (status) {
      const headers = status[2] ? { 'Retry-After': status[2] } : {};
      return send(ctx, Number(status[1]), { success: false, error: { code: 'fake', message: 'Fake failure.' } }, 'application/json', headers);
    }
    if (step === 'hang') {
      ctx.status = 204; // never sent; keeps the runner from listing the aborted request as a 404
      await new Promise((resolve) => ctx.req.socket.once('close', resolve));
      ctx.respond = false;
      return;
    }
    if (slow) {
      await sleep(Number(slow[1]));
      return ok(`Slow reply to: ${parsed.message}`);
    }
    if (step === 'drop') {
      ctx.respond = false;
      ctx.req.socket.destroy();
      return;
    }
    if (html) return send(ctx, Number(html[1] ?? 200), '<!doctype html><title>Error</title><h1>Bad gateway</h1>', 'text/html');
    if (step === 'false') return send(ctx, 200, { success: false, error: { code: 'agent_error', message: 'no' } });
    if (step === 'shape') return send(ctx, 200, { success: true, reply: 'wrong field', session: 1 });
    if (step === 'empty') return send(ctx, 200, '', 'application/json');
    send(ctx, 500, { success: false, error: { code: 'unknown_step', message: `Unknown fake step ${step}` } });
  };
}
