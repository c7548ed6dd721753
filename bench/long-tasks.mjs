// `npm run bench:long-tasks`: every main-thread task over 50 ms while the landing page of
// `npm run bench:lighthouse` loads, per variant, in the system's Chromium with the CPU slowed 4× (as
// Lighthouse's mobile profile assumes) and an unthrottled loopback network. A Chromium trace from
// navigation until the page is quiet says what each task was (script evaluated, function called,
// HTML parsed, style, layout, a timer…) and, from the trace's CPU samples mapped through the build's
// hidden source maps, which source functions it spent its time in: enough to know what to split.
// Needs `npm run build` (the npm script runs it). LONG_TASK_RUNS=3 loads each variant three times.
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { SourceMapConsumer } from 'source-map-js';
import { launchChrome } from '../scripts/playground-server.mjs';
import { VARIANTS, isWidgetScript, startLandingServer } from './lighthouse/server.mjs';

const RUNS = Number(process.env.LONG_TASK_RUNS ?? 1);
// `npm run bench:long-tasks -- inline inline-200`: only those variants (their ids in bench/lighthouse/server.mjs).
const ONLY = process.argv.slice(2);
const LONG_MS = 50;
const CPU_SLOWDOWN = 4;
const QUIET_MS = 3000;
const ROOT = new URL('..', import.meta.url).pathname;
const CATEGORIES = [
  'toplevel',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.stack',
  'v8.execute',
  'v8',
  'blink.user_timing',
  'loading',
  'disabled-by-default-v8.cpu_profiler',
];
const TASK_NAMES = new Set(['RunTask', 'ThreadControllerImpl::RunTask', 'ThreadControllerImpl::DoWork']);

/** What a trace event is, in words a developer knows from DevTools' Performance panel; undefined for plumbing. */
function describe(event) {
  const data = event.args?.data ?? event.args?.beginData ?? {};
  const file = (url) => (url ? basename(new URL(url, 'http://x').pathname) || new URL(url).pathname : 'inline script');
  switch (event.name) {
    case 'EvaluateScript':
      return `evaluate ${file(data.url)}`;
    case 'v8.evaluateModule':
      return data.url ? `evaluate module ${file(data.url)}` : 'evaluate a module';
    case 'v8.compile':
    case 'v8.compileModule':
    case 'V8.CompileCode':
      return `compile ${file(data.url ?? event.args?.fileName)}`;
    case 'FunctionCall':
      return `call ${data.functionName || '(anonymous)'} in ${file(data.url)}`;
    case 'TimerFire':
      return 'timer fired';
    case 'FireAnimationFrame':
      return 'requestAnimationFrame callback';
    case 'FireIdleCallback':
      return 'requestIdleCallback callback';
    case 'EventDispatch':
      return `event ${data.type}`;
    case 'RunMicrotasks':
    case 'v8.runMicrotasks':
      return 'microtasks (promise callbacks)';
    case 'ParseHTML':
      return 'parse HTML';
    case 'ParseAuthorStyleSheet':
      return 'parse CSS';
    case 'UpdateLayoutTree':
    case 'RecalculateStyles':
      return 'style recalc';
    case 'Layout':
      return 'layout';
    case 'PrePaint':
    case 'Paint':
    case 'Layerize':
    case 'UpdateLayerTree':
    case 'Commit':
      return 'paint';
    case 'MajorGC':
    case 'MinorGC':
      return 'garbage collection';
    case 'ResourceReceivedData':
    case 'ResourceFinish':
      return undefined;
    default:
      return undefined;
  }
}

const consumers = new Map();
/** `src/file.ts:line name` for a built file with a map in dist/, else file:line:column of the served script. */
function sourceOf({ url, functionName, lineNumber, columnNumber }) {
  const path = new URL(url).pathname;
  const map = `${ROOT}${path.slice(1)}.map`;
  if (path.startsWith('/dist/') && existsSync(map)) {
    if (!consumers.has(map)) consumers.set(map, new SourceMapConsumer(JSON.parse(readFileSync(map, 'utf8'))));
    const original = consumers.get(map).originalPositionFor({ line: lineNumber + 1, column: columnNumber });
    if (original.source) {
      const source = original.source.replace(/^(\.\.\/)+/, '').replace(/^node_modules\//, '');
      return `${source}:${original.line}${original.name ? ` ${original.name}` : ''}`;
    }
  }
  return `${basename(path)}:${lineNumber + 1}:${columnNumber + 1} ${functionName || '(anonymous)'}`;
}

/** The CPU samples of one thread: [{ t (µs), frames: callFrame list from leaf to root }]. */
function samplesOf(events, pid, tid) {
  const profiles = new Map();
  for (const event of events) {
    if (event.name === 'Profile' && event.pid === pid && event.tid === tid) profiles.set(event.id, { t: event.args.data.startTime, nodes: new Map(), samples: [] });
  }
  for (const event of events) {
    const profile = event.name === 'ProfileChunk' && event.pid === pid ? profiles.get(event.id) : undefined;
    if (!profile) continue;
    const { cpuProfile = {}, timeDeltas = [] } = event.args.data;
    for (const node of cpuProfile.nodes ?? []) profile.nodes.set(node.id, node);
    (cpuProfile.samples ?? []).forEach((id, i) => {
      profile.t += timeDeltas[i] ?? 0;
      profile.samples.push({ t: profile.t, id });
    });
  }
  const out = [];
  for (const profile of profiles.values()) {
    for (const { t, id } of profile.samples) {
      const frames = [];
      for (let node = profile.nodes.get(id); node; node = profile.nodes.get(node.parent)) frames.push(node.callFrame);
      out.push({ t, frames });
    }
  }
  return out.sort((a, b) => a.t - b.t);
}

/** Each task over LONG_MS on the page's main thread: when, how long, what it was, where the time went. */
function longTasks(trace, pageUrl) {
  const events = trace.traceEvents;
  // The page's main thread: the renderer main thread that parsed the page's HTML.
  const parse = events.find((e) => e.name === 'ParseHTML' && e.args?.beginData?.url?.startsWith(pageUrl));
  if (!parse) throw new Error(`no ParseHTML of ${pageUrl} in the trace`);
  const { pid, tid } = parse;
  const navigation = events.find((e) => e.name === 'navigationStart' && e.pid === pid && e.args?.data?.documentLoaderURL?.startsWith(pageUrl));
  const t0 = navigation?.ts ?? parse.ts;
  // Complete events, with begin/end pairs made complete, on that thread, in order.
  const own = [];
  const open = [];
  for (const e of events) {
    if (e.pid !== pid || e.tid !== tid) continue;
    if (e.ph === 'X') own.push(e);
    else if (e.ph === 'B') open.push(e);
    else if (e.ph === 'E') {
      const begin = open.pop();
      if (begin) own.push({ ...begin, ph: 'X', dur: e.ts - begin.ts, args: { ...begin.args, ...e.args } });
    }
  }
  own.sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const samples = samplesOf(events, pid, tid);
  const tasks = [];
  let lastEnd = -Infinity;
  for (const task of own) {
    if (!TASK_NAMES.has(task.name) || task.ts < lastEnd) continue;
    lastEnd = task.ts + task.dur;
    if (task.dur < LONG_MS * 1000 || lastEnd < t0) continue;
    const inside = own.filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur <= lastEnd);
    // What it was: the outermost recognisable events, added up by kind; style and layout a script forced, apart.
    const what = new Map();
    let forced = 0;
    const stack = [];
    for (const e of inside) {
      while (stack.length && stack.at(-1).ts + stack.at(-1).dur <= e.ts) stack.pop();
      const label = describe(e);
      if (!label) continue;
      if (stack.length === 0) what.set(label, (what.get(label) ?? 0) + e.dur / 1000);
      else if ((label === 'style recalc' || label === 'layout') && !stack.some((s) => describe(s) === label)) forced += e.dur / 1000;
      stack.push(e);
    }
    // Where the time went: CPU samples inside the task, each given to its nearest frame in a script file.
    const hot = new Map();
    const within = samples.filter((s) => s.t >= task.ts && s.t <= lastEnd);
    within.forEach((sample, i) => {
      const next = within[i + 1]?.t ?? lastEnd;
      const frame = sample.frames.find((f) => f.url && /^https?:/.test(f.url));
      const leaf = sample.frames[0]?.functionName;
      const key = frame ? sourceOf(frame) : leaf === '(program)' || leaf === '(idle)' || !leaf ? '(browser: style, layout, paint, parsing)' : leaf;
      hot.set(key, (hot.get(key) ?? 0) + (next - sample.t) / 1000);
    });
    const urls = inside.map((e) => e.args?.data?.url ?? e.args?.beginData?.url).concat(within.flatMap((s) => s.frames.map((f) => f.url)));
    tasks.push({
      startMs: (task.ts - t0) / 1000,
      durationMs: task.dur / 1000,
      widget: urls.some(isWidgetScript),
      what: [...what].sort((a, b) => b[1] - a[1]).map(([label, ms]) => ({ label, ms })),
      forcedStyleLayoutMs: forced,
      hottest: [...hot].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([source, ms]) => ({ source, ms })),
    });
  }
  return tasks;
}

async function trace(browser, base, variant) {
  // Lighthouse's mobile viewport; a fresh context, so nothing is cached and storage is empty.
  const context = await browser.newContext({ viewport: { width: 412, height: 823 }, deviceScaleFactor: 1.75, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await page.goto(`${base}/none/`); // the same renderer as the variant's, so the throttling holds
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  await page.goto('about:blank');
  await browser.startTracing(page, { categories: CATEGORIES });
  const url = `${base}/${variant.id}/`;
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(QUIET_MS);
  const buffer = await browser.stopTracing();
  // Counted after the trace, so the driver's own work is not in it.
  const messages = await page.evaluate(() => document.querySelector('thinnest-chat')?.shadowRoot?.querySelectorAll('[part~="message"]').length);
  await context.close();
  return { tasks: longTasks(JSON.parse(buffer.toString('utf8')), url), messages };
}

const server = await startLandingServer();
const browser = await launchChrome(server.chromeArgs);
const ms = (n) => `${Math.round(n)} ms`;
try {
  console.log(`Main-thread tasks over ${LONG_MS} ms, CPU slowed ${CPU_SLOWDOWN}×, Chromium ${browser.version()}, mobile viewport; times from navigation start.`);
  for (const variant of VARIANTS.filter(({ id }) => !ONLY.length || ONLY.includes(id))) {
    for (let run = 1; run <= RUNS; run++) {
      const { tasks, messages } = await trace(browser, server.url, variant);
      const rendered = messages === undefined ? '' : `, ${messages} messages rendered`;
      console.log(`\n## ${variant.label}${RUNS > 1 ? ` (load ${run})` : ''}: ${tasks.length} long tasks, ${ms(tasks.reduce((n, t) => n + t.durationMs, 0))} in all${rendered}`);
      for (const task of tasks) {
        const what = task.what.slice(0, 4).map(({ label, ms: d }) => `${label} ${ms(d)}`).join(', ');
        const forced = task.forcedStyleLayoutMs >= 1 ? ` (style/layout forced by script: ${ms(task.forcedStyleLayoutMs)})` : '';
        console.log(`- ${ms(task.durationMs)} at ${ms(task.startMs)}${task.widget ? ' [widget]' : ''}: ${what}${forced}`);
        console.log(`  time in: ${task.hottest.map(({ source, ms: d }) => `${source} ${ms(d)}`).join('; ')}`);
      }
    }
  }
} finally {
  await browser.close();
  await server.close();
}
