// `npm run bench:lighthouse`: what a site owner sees in PageSpeed Insights after adding the widget.
// Lighthouse (mobile, simulated throttling: its defaults, performance only) on a landing page of our
// own (bench/lighthouse/landing.html) served brotli-compressed as a CDN serves it, once per variant
// per run, variants interleaved, in the system's Chromium; medians per variant, deltas against the page
// with no widget, the goals of the issue marked met or missed. Writes bench/lighthouse-results.json.
// Runs: BENCH_RUNS=5 or --runs 5 (default 3). Served over HTTPS with HTTP/2, as a CDN serves; --http1 for
// plain HTTP/1.1 (bench/lighthouse/server.mjs says what that changes). Needs `npm run build` (the npm script runs it).
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { CHROME_ARGS, CHROME_MISSING, findChrome } from '../scripts/browsers.mjs';
import { VARIANTS, isWidgetScript, startLandingServer } from './lighthouse/server.mjs';

const { values: args } = parseArgs({ options: { runs: { type: 'string' }, http1: { type: 'boolean', default: false } } });
const RUNS = Number(args.runs ?? process.env.BENCH_RUNS ?? 3);
if (!Number.isInteger(RUNS) || RUNS < 1) {
  console.error(`bench:lighthouse: runs must be a whole number of 1 or more, not "${args.runs ?? process.env.BENCH_RUNS}" (--runs 5 or BENCH_RUNS=5).`);
  process.exit(2);
}
if (RUNS < 3) console.error(`bench:lighthouse: ${RUNS} run${RUNS > 1 ? 's' : ''}, fewer than the 3 the goals are judged on: a trial, not a result.`);
const GOALS = { tbtMs: 10, lcpMs: 50, workRatio: 0.5 };
const LIGHTHOUSE_VERSION = JSON.parse(readFileSync(new URL('../node_modules/lighthouse/package.json', import.meta.url), 'utf8')).version;

const chromePath = findChrome();
if (!chromePath) throw new Error(CHROME_MISSING);
const server = await startLandingServer({ http1: args.http1 });
const chrome = await chromeLauncher.launch({ chromePath, chromeFlags: [...CHROME_ARGS, ...server.chromeArgs] });

// Lighthouse's own settings (mobile, simulated throttling), with one change: it clears localStorage too
// before each load (by default it keeps it, and a variant would restore what the one before it stored;
// the variants with a stored conversation write theirs in the page). bootup-time lists every script,
// not only those over 50 ms, so the widget's files are always there to be added up.
const config = {
  extends: 'lighthouse:default',
  settings: {
    onlyCategories: ['performance'],
    clearStorageTypes: ['file_systems', 'shader_cache', 'service_workers', 'cache_storage', 'local_storage', 'indexeddb'],
  },
  audits: [{ path: 'bootup-time', options: { thresholdInMs: 0 } }],
};

/** One Lighthouse run of one variant: the figures a site owner reads, and what the widget's files cost. */
async function measure(variant) {
  const { lhr } = await lighthouse(`${server.url}/${variant.id}/`, { port: chrome.port, output: 'json', logLevel: 'error' }, config);
  if (lhr.runtimeError) throw new Error(`${variant.id}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  const audit = (id) => lhr.audits[id];
  const scripts = audit('bootup-time').details?.items ?? [];
  const widgetFiles = scripts.filter((item) => isWidgetScript(item.url));
  return {
    score: Math.round(lhr.categories.performance.score * 100),
    tbtMs: audit('total-blocking-time').numericValue,
    lcpMs: audit('largest-contentful-paint').numericValue,
    fcpMs: audit('first-contentful-paint').numericValue,
    cls: audit('cumulative-layout-shift').numericValue,
    mainThreadMs: audit('mainthread-work-breakdown').numericValue,
    widgetScriptMs: widgetFiles.reduce((sum, item) => sum + item.total, 0),
    // The page's own inline scripts (the variants with a stored conversation write it there).
    pageScriptMs: scripts.find((item) => item.url === `${server.url}/${variant.id}/`)?.scripting ?? 0,
    widgetFiles: widgetFiles.map(({ url, total, scripting, scriptParseCompile }) => ({ file: new URL(url).pathname, total, scripting, scriptParseCompile })),
    longTasks: (audit('long-tasks').details?.items ?? []).map(({ url, duration, startTime }) => ({ url: url.replace(server.url, ''), duration, startTime })),
    // What each file weighed on the wire, in the order the page asked for them: Lighthouse's network model works on these.
    requests: (audit('network-requests').details?.items ?? []).map(({ url, transferSize }) => ({ file: new URL(url).pathname, transferSize })),
    benchmarkIndex: lhr.environment.benchmarkIndex,
    chromium: lhr.environment.hostUserAgent.match(/Chrome\/([\d.]+)/)?.[1],
  };
}

const raw = Object.fromEntries(VARIANTS.map((v) => [v.id, []]));
try {
  for (let run = 1; run <= RUNS; run++) {
    for (const variant of VARIANTS) {
      const started = Date.now();
      const result = await measure(variant);
      raw[variant.id].push(result);
      console.error(`run ${run}/${RUNS} ${variant.id}: score ${result.score}, TBT ${result.tbtMs.toFixed(0)} ms, LCP ${result.lcpMs.toFixed(0)} ms (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
  }
} finally {
  await chrome.kill();
  await server.close();
}

// ---- medians, deltas, goals
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const METRICS = ['score', 'tbtMs', 'lcpMs', 'fcpMs', 'cls', 'mainThreadMs', 'widgetScriptMs', 'pageScriptMs'];
const medians = Object.fromEntries(
  VARIANTS.map((v) => [v.id, { ...Object.fromEntries(METRICS.map((m) => [m, median(raw[v.id].map((r) => r[m]))])), clsMax: Math.max(...raw[v.id].map((r) => r.cls)) }]),
);
const base = medians.none;
// The widget's main-thread work: the page's main-thread work (mainthread-work-breakdown) less the same
// page's with no widget, so style, layout and paint the widget causes count as well as its scripts. A variant with a
// stored conversation is counted less its page's own script writing those 200 messages (what its page's inline
// scripts take beyond the no-widget page's): a returning visitor's page does not run it.
const seedMs = (v, run) => (v.stored ? Math.max(0, run.pageScriptMs - base.pageScriptMs) : 0);
const addedWork = (v, run) => run.mainThreadMs - seedMs(v, run) - base.mainThreadMs;
for (const v of VARIANTS) {
  medians[v.id].addedMainThreadMs = median(raw[v.id].map((run) => addedWork(v, run)));
  if (v.stored) medians[v.id].seedMs = median(raw[v.id].map((run) => seedMs(v, run)));
}
const deep = medians.deepchat;
// Added work is a difference of two medians: with few runs on a busy machine, Deep Chat's can come out near zero
// and a variant's below zero, and a ratio of those says nothing. Then no ratio is given and the check says why.
const deepMeasured = deep.addedMainThreadMs >= 20;
const ratioTo = (added) => (deepMeasured && added >= 0 ? added / deep.addedMainThreadMs : undefined);

const ms = (n) => `${Math.round(n)} ms`;
const signed = (n, unit = ' ms') => `${n >= 0 ? '+' : '−'}${Math.abs(Math.round(n))}${unit}`;
const lines = [
  `| variant (median of ${RUNS}) | score | TBT | LCP | CLS | main-thread work | widget's main-thread work (vs Deep Chat) | widget's scripts (bootup-time) |`,
  '|---|---:|---:|---:|---:|---:|---:|---:|',
];
for (const v of VARIANTS) {
  const m = medians[v.id];
  const delta = (key, fmt = signed) => (v.id === 'none' ? '' : ` (${fmt(m[key] - base[key])})`);
  const ratio = ratioTo(m.addedMainThreadMs);
  const work = v.id === 'none' ? '–' : `${ms(m.addedMainThreadMs)}${v.id === 'deepchat' ? '' : ` (${ratio === undefined ? 'n/a' : `${ratio.toFixed(2)}×`})`}`;
  lines.push(
    `| ${v.label} | ${m.score}${delta('score', (n) => signed(n, ''))} | ${ms(m.tbtMs)}${delta('tbtMs')} | ${ms(m.lcpMs)}${delta('lcpMs')} | ${m.cls.toFixed(3)} | ${ms(m.mainThreadMs)} | ${work} | ${v.widget ? ms(m.widgetScriptMs) : '–'} |`,
  );
}

const goals = [];
for (const v of VARIANTS.filter((variant) => variant.widget === 'thinnest' && !variant.reference)) {
  const m = medians[v.id];
  const ratio = ratioTo(m.addedMainThreadMs);
  const checks = [
    ['score', `score unchanged (${m.score} vs ${base.score})`, m.score >= base.score],
    ['tbt', `TBT ${signed(m.tbtMs - base.tbtMs)} (≤ +${GOALS.tbtMs} ms)`, m.tbtMs - base.tbtMs <= GOALS.tbtMs],
    ['lcp', `LCP ${signed(m.lcpMs - base.lcpMs)} (≤ +${GOALS.lcpMs} ms; a script tag that does nothing: ${signed(medians['any-script'].lcpMs - base.lcpMs)})`, m.lcpMs - base.lcpMs <= GOALS.lcpMs],
    ['cls', `CLS ${m.clsMax.toFixed(3)} in every run (0)`, m.clsMax === 0],
    ratio !== undefined
      ? ['work', `main-thread work ${ratio.toFixed(2)}× Deep Chat's (≤ ${GOALS.workRatio}×)`, ratio <= GOALS.workRatio]
      : ['work', `main-thread work not compared: added ${ms(m.addedMainThreadMs)} against Deep Chat's ${ms(deep.addedMainThreadMs)}, the machine's noise (run more: --runs 5)`, false],
  ];
  goals.push({ variant: v.id, checks: checks.map(([goal, what, met]) => ({ goal, what, met })) });
}

const machine = `${cpus().length} cores (${cpus()[0]?.model?.trim()}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load ${loadavg()[0].toFixed(1)}`;
const chromium = raw.none[0].chromium;
const benchmarkIndexes = VARIANTS.flatMap((v) => raw[v.id].map((r) => r.benchmarkIndex));
console.log(`\nLighthouse ${LIGHTHOUSE_VERSION}, Chromium ${chromium}, mobile, simulated throttling, ${RUNS} runs, the page served over ${server.protocol}; ${machine}; BenchmarkIndex ${Math.min(...benchmarkIndexes)}–${Math.max(...benchmarkIndexes)}\n`);
console.log(lines.join('\n'));
console.log(
  "\nIn brackets: the change against the page with no widget. Widget's main-thread work: the page's main-thread work (mainthread-work-breakdown) less the no-widget page's, and its ratio to Deep Chat's; widget's scripts: bootup-time's total for the widget's own files.",
);
const seeded = VARIANTS.filter((v) => v.stored);
if (seeded.length) {
  console.log(
    `With 200 stored messages, the widget's main-thread work is also less the page's own script writing them (${seeded.map((v) => `${v.id} ${ms(medians[v.id].seedMs)}`).join(', ')}, medians): a returning visitor's page does not run it.`,
  );
}
// The machine's load moves every figure from run to run: each variant's range beside its median.
const range = (values, fmt) => `${fmt(Math.min(...values))}–${fmt(Math.max(...values))}`;
console.log(`\nRanges over the ${RUNS} runs (TBT added, LCP added, score):`);
for (const v of VARIANTS.filter((variant) => variant.id !== 'none')) {
  const runs = raw[v.id];
  const tbt = range(runs.map((r) => r.tbtMs - base.tbtMs), (n) => `${Math.round(n)}`);
  const lcp = range(runs.map((r) => r.lcpMs - base.lcpMs), (n) => `${Math.round(n)}`);
  console.log(`- ${v.label}: TBT ${tbt} ms, LCP ${lcp} ms, score ${range(runs.map((r) => r.score), String)}`);
}
console.log('\nGoals:');
for (const { variant, checks } of goals) {
  console.log(`- ${variant}: ${checks.map(({ what, met }) => `${met ? 'met' : 'MISSED'}: ${what}`).join('; ')}`);
}

// For each variant with a goal missed: in the run with the median TBT, the widget's long tasks (Lighthouse's own
// long-tasks audit, simulated durations) with what each is and why the widget cannot cut it further; where its
// main-thread work goes, file by file; and, where LCP is missed, what any script tag costs this page.
// `npm run bench:long-tasks` shows the same tasks function by function; docs/performance.md says more.
const WHY = {
  'thinnest-chat.min.js':
    'the script-tag file: evaluating it (defining the element), or the first render, in its own task once the page has loaded and its first contentful paint is reported (Lit preparing the launcher\'s or panel\'s template): each runs as one unit',
  'thinnest-chat.conversation.js':
    "the conversation's code, evaluated in a task of its own; a restored transcript formats its first message time in a slice of its own (the browser loading its date data, one unit), then is drawn 5 ms of the widget's own time per task, the rest is Lit re-rendering the element around it and the browser's style and layout, and showing it lays out its newest 11 to 20 messages",
  'thinnest-chat.markdown.js':
    "marked: evaluated in a task of its own (it builds its grammar as it is evaluated, one unit), compiling its common rules in the four tasks after it (its block rules in two, its inline rules, its renderer: a rule's expression is compiled whole), its first use, and the replies it renders in each slice of a restored transcript (each reply one unit)",
};
const WORK = {
  'thinnest-chat.min.js': 'evaluating the script-tag file, and its first render: the launcher of a closed bubble, the panel inline',
  'thinnest-chat.conversation.js': "the conversation's code: evaluated, then drawing a restored transcript",
  'thinnest-chat.markdown.js': 'marked and the sanitizer: evaluated, warmed up, then rendering the welcome and every restored reply',
};
const fileName = (url) => url.split('/').pop();
const bytes = (n) => `${Math.round(n).toLocaleString('en')} bytes`;
/** Why LCP grew, from what Lighthouse's simulation does with the files of the run: the widget draws nothing before the page's LCP. */
function whyLcp(run) {
  const reference = `a script tag that does nothing costs this page ${signed(medians['any-script'].lcpMs - base.lcpMs)} (median)`;
  if (server.protocol === 'HTTP/1.1') {
    return `${reference}: over HTTP/1.1 Lighthouse's simulation gives each file asked for beside another one a new connection of its own, and charges its set-up to the page's LCP, for any script evaluated before it`;
  }
  // Lantern's TCP model (its TCPConnection): the first round trip carries 10 segments of 1,460 bytes; on a warm HTTP/2
  // connection what a file leaves of its last round trip carries the next file's first bytes at no extra time.
  const firstRoundTrip = 10 * 1460;
  const widgetAt = run.requests.findIndex(({ file }) => isWidgetScript(file));
  const before = run.requests.slice(0, widgetAt).reduce((sum, { transferSize }) => sum + transferSize, 0);
  if (widgetAt < 0 || before >= firstRoundTrip) {
    return `${reference}: Lighthouse's estimate counts every script requested and evaluated before the page's LCP, its download and its evaluation`;
  }
  const file = run.requests[widgetAt].transferSize;
  const left = firstRoundTrip - before;
  const evaluation = "its evaluation (on a CPU taken as 4× slower) when the browser runs it before the page's LCP";
  return (
    `${reference}. In Lighthouse's simulation the page's files share one HTTP/2 connection, and the first round trip (${bytes(firstRoundTrip)}) carries what fits ` +
    `at no extra time: this page's own files before the widget's take ${bytes(before)} of it, and a file of a few bytes rides along. ` +
    (file > left
      ? `The script-tag file, ${bytes(file)}, does not fit in the ${bytes(left)} left, so it costs a round trip of its own (150 ms), and ${evaluation}. ` +
        'Whether it fits depends on the page: where its own files leave more of their last round trip, it rides along'
      : `The script-tag file, ${bytes(file)}, fits in the ${bytes(left)} left: what it adds is ${evaluation}`)
  );
}
for (const v of VARIANTS.filter((variant) => variant.widget === 'thinnest' && !variant.reference)) {
  const missed = goals.find((goal) => goal.variant === v.id).checks.filter(({ met }) => !met);
  if (missed.length === 0) continue;
  const runs = [...raw[v.id]].sort((a, b) => a.tbtMs - b.tbtMs);
  const run = runs[Math.floor(runs.length / 2)];
  console.log(`\n${v.label}: missed ${missed.map(({ what }) => what).join('; ')}. In the run with the median TBT:`);
  const tasks = run.longTasks.filter((task) => isWidgetScript(task.url));
  if (tasks.length === 0) console.log("- no task of the widget's own over 50 ms");
  for (const task of tasks) console.log(`- a long task, ${ms(task.duration)}, ${fileName(task.url)}: ${WHY[fileName(task.url)] ?? ''}`);
  if (missed.some(({ goal }) => goal === 'work')) {
    const added = addedWork(v, run);
    const scripts = run.widgetFiles.reduce((sum, file) => sum + file.total, 0);
    console.log(`- main-thread work ${ms(added)} against Deep Chat's ${ms(deep.addedMainThreadMs)} (its median): ${run.widgetFiles.map((file) => `${ms(file.total)} in ${fileName(file.file)} (${WORK[fileName(file.file)] ?? 'a chunk'})`).join(', ')}; the rest, ${ms(Math.max(0, added - scripts))}, the browser's style, layout and paint for what it draws`);
  }
  if (missed.some(({ goal }) => goal === 'lcp')) console.log(`- LCP: ${whyLcp(run)}`);
}

writeFileSync(
  new URL('lighthouse-results.json', import.meta.url),
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      machine,
      lighthouse: LIGHTHOUSE_VERSION,
      chromium,
      settings: 'mobile, simulated throttling (Lighthouse defaults), performance category only',
      served: server.protocol,
      runs: RUNS,
      widgetMainThread: "mainthread-work-breakdown of the variant less that of the page with no widget (medians); with 200 stored messages, less the page's own script writing them too (seedMs)",
      variants: VARIANTS.map(({ id, label }) => ({ id, label })),
      medians,
      goals,
      raw,
    },
    null,
    2,
  )}\n`,
);
