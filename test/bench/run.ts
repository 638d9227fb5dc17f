// `npm run bench`: performance of the CLI and the engine against kubectl's kustomize, in one run.
//
//  1. wall time of `node dist/cli.js build DIR` vs `kubectl kustomize DIR` on a generated GitOps
//     tree of > 2,000 resources (outputs compared as YAML documents first), ratio target <= 0.5;
//  2. the same on the conformance case with the largest expected.yaml (../shared, when present);
//  3. in-process warm re-render of a ~100-resource overlay after a one-value edit through the
//     host (median and p95 over 50 iterations, target <= 10 ms), and the cold first build;
//  4. peak RSS of the CLI (and of kubectl) on the 2,000-resource build;
//  5. the language server (test/bench/server.ts, dist/server.js over JSON-RPC) on a generated
//     monorepo of 500 overlays: initial index, every environment rendered and diagnosed (schema
//     checks included), completion p95 (target <= 20 ms), diagnostics after an edit p95 (target
//     <= 100 ms), re-render after a shared-component edit, peak RSS (target <= 300 MB).
//
// Processes run one at a time, CLI and kubectl alternating, several repetitions each; figures are
// medians. When a target is missed, the run profiles that case (node --cpu-prof / inspector) and
// prints where the time goes. Results are printed and written as JSON under the OS temp dir.
//
// Options: --reps N (large build, default 5)  --small-reps N (default 15)  --warm-procs N (default 3)
//          --iterations N (default 50)  --server-apps N (default 167)  --no-server
//          --no-profile  --keep (keep the generated tree)  --json FILE

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildSync } from 'esbuild';
import { compareStreams, type Comparison } from './compare';
import { generateTree } from './generate';
import { formatSummary, summarizeProfile, type CpuProfile, type ProfileSummary } from './profile';

const repo = path.resolve(__dirname, '../..');
const argv = process.argv.slice(2);
const opt = (name: string, dflt: number): number => { const i = argv.indexOf(name); return i >= 0 ? Number(argv[i + 1]) : dflt; };
const REPS = opt('--reps', 5);
const SMALL_REPS = opt('--small-reps', 15);
const WARM_PROCS = opt('--warm-procs', 3);
const ITERATIONS = opt('--iterations', 50);
const PROFILE = !argv.includes('--no-profile');
const SERVER_APPS = opt('--server-apps', 167);
const SERVER = !argv.includes('--no-server');
const jsonArg = argv.indexOf('--json');

const CLI = path.join(repo, 'dist/cli.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-lens-bench-'));
const TIME = fs.existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-f', '%M', '-o', '/dev/null', 'true']).status === 0 ? '/usr/bin/time' : undefined;
const RSS_HOOK = path.join(work, 'rss-hook.cjs');
fs.writeFileSync(RSS_HOOK, `process.on('exit', () => { try { require('fs').writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)); } catch {} });\n`);

// ---------- statistics ----------
const sorted = (xs: number[]): number[] => xs.slice().sort((a, b) => a - b);
function quantile(xs: number[], q: number): number {
  const s = sorted(xs);
  if (!s.length) return NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}
const median = (xs: number[]): number => quantile(xs, 0.5);
const r1 = (x: number): number => Math.round(x * 10) / 10;
const r3 = (x: number): number => Math.round(x * 1000) / 1000;

// ---------- running processes ----------
interface Run { wallMs: number; cpuMs?: number; rssKb?: number; status: number | null; stderr: string }

/** One process run, stdout to `outFile`; wall time measured here, CPU and peak RSS by /usr/bin/time. */
function runOnce(cmd: string, args: string[], outFile: string, extraEnv: Record<string, string> = {}): Run {
  const out = fs.openSync(outFile, 'w');
  const timeFile = path.join(work, 'time.txt');
  const rssFile = path.join(work, 'rss.txt');
  fs.rmSync(rssFile, { force: true });
  const [c, a] = TIME ? [TIME, ['-f', '%U %S %M', '-o', timeFile, cmd, ...args]] : [cmd, args];
  const env = { ...process.env, ...extraEnv, ...(TIME ? {} : { BENCH_RSS_FILE: rssFile }) };
  const t0 = performance.now();
  const r = spawnSync(c, a, { stdio: ['ignore', out, 'pipe'], env, maxBuffer: 64 << 20 });
  const wallMs = performance.now() - t0;
  fs.closeSync(out);
  const run: Run = { wallMs, status: r.status, stderr: r.stderr?.toString() ?? '' };
  if (TIME) {
    const line = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
    const [u, s, m] = line.split(/\s+/).map(Number);
    if (Number.isFinite(u) && Number.isFinite(s)) run.cpuMs = (u! + s!) * 1000;
    if (Number.isFinite(m)) run.rssKb = m;
  } else if (fs.existsSync(rssFile)) {
    run.rssKb = Number(fs.readFileSync(rssFile, 'utf8')); // Node child only (the --require hook)
  }
  return run;
}

const cliArgs = (dir: string): [string, string[]] => [process.execPath, [...(TIME ? [] : ['--require', RSS_HOOK]), CLI, 'build', dir]];
const kubectlArgs = (dir: string): [string, string[]] => ['kubectl', ['kustomize', dir]];

interface Side { wallMs: number[]; cpuMs: number[]; rssKb: number[] }
interface CaseResult {
  name: string; dir: string; resources: number; reps: number;
  comparison: Comparison;
  cli: Side; kubectl: Side;
  medians: { cliWallMs: number; kubectlWallMs: number; ratio: number; cliCpuMs?: number; kubectlCpuMs?: number; cpuRatio?: number; cliRssMb?: number; kubectlRssMb?: number };
}

function fail(msg: string): never {
  console.error(`\nbench: ${msg}`);
  process.exit(1);
}

function benchCase(name: string, dir: string, reps: number): CaseResult {
  process.stdout.write(`\n[${name}] ${dir}\n  checking outputs… `);
  const ours = path.join(work, 'cli.yaml');
  const theirs = path.join(work, 'kubectl.yaml');
  const c0 = runOnce(...cliArgs(dir), ours);
  if (c0.status !== 0) fail(`the CLI failed on ${dir}:\n${c0.stderr}`);
  const k0 = runOnce(...kubectlArgs(dir), theirs);
  if (k0.status !== 0) fail(`kubectl kustomize failed on ${dir}:\n${k0.stderr}`);
  const comparison = compareStreams(fs.readFileSync(ours, 'utf8'), fs.readFileSync(theirs, 'utf8'));
  if (comparison.same) {
    process.stdout.write(`same ${comparison.documents[0]} documents${comparison.bytesIdentical ? ', byte-identical' : ' (not byte-identical: map key order differs)'}\n`);
  } else {
    const bar = '!'.repeat(78);
    process.stdout.write(`\n${bar}\n!! OUTPUTS DIFFER: CLI ${comparison.documents[0]} docs, kubectl ${comparison.documents[1]} docs\n!! first difference: ${comparison.firstDifference}\n${bar}\n`);
  }
  const cli: Side = { wallMs: [], cpuMs: [], rssKb: [] };
  const kub: Side = { wallMs: [], cpuMs: [], rssKb: [] };
  const add = (s: Side, r: Run): void => {
    s.wallMs.push(r.wallMs);
    if (r.cpuMs !== undefined) s.cpuMs.push(r.cpuMs);
    if (r.rssKb !== undefined) s.rssKb.push(r.rssKb);
  };
  process.stdout.write(`  timing ${reps} alternating runs each: `);
  for (let i = 0; i < reps; i++) {
    // Alternate which goes first so a load spike on the shared machine does not favour one side.
    const order = i % 2 === 0 ? ['cli', 'kubectl'] : ['kubectl', 'cli'];
    for (const who of order) {
      const r = who === 'cli' ? runOnce(...cliArgs(dir), path.join(work, 'out.yaml')) : runOnce(...kubectlArgs(dir), path.join(work, 'out.yaml'));
      if (r.status !== 0) fail(`${who} failed during timing on ${dir}:\n${r.stderr}`);
      add(who === 'cli' ? cli : kub, r);
    }
    process.stdout.write('.');
  }
  process.stdout.write('\n');
  const cw = median(cli.wallMs), kw = median(kub.wallMs);
  const medians: CaseResult['medians'] = { cliWallMs: r1(cw), kubectlWallMs: r1(kw), ratio: r3(cw / kw) };
  if (cli.cpuMs.length && kub.cpuMs.length) {
    medians.cliCpuMs = r1(median(cli.cpuMs)); medians.kubectlCpuMs = r1(median(kub.cpuMs));
    medians.cpuRatio = r3(median(cli.cpuMs) / median(kub.cpuMs));
  }
  if (cli.rssKb.length) medians.cliRssMb = r1(median(cli.rssKb) / 1024);
  if (kub.rssKb.length) medians.kubectlRssMb = r1(median(kub.rssKb) / 1024);
  return { name, dir, resources: comparison.documents[1], reps, comparison, cli, kubectl: kub, medians };
}

// ---------- 0. context ----------
const loadStart = os.loadavg();
const kubectlVersion = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).stdout?.match(/Kustomize Version: (\S+)/)?.[1] ?? '?';
console.log(`GitOps Lens bench — node ${process.version}, kustomize ${kubectlVersion} (kubectl), ${os.cpus().length} CPUs, load ${loadStart.map((l) => l.toFixed(2)).join(' ')}`);
console.log(`(the machine may be shared: figures are medians of alternating runs; CPU time from ${TIME ?? 'n/a'} is less load-sensitive than wall time)`);
if (!fs.existsSync(CLI)) fail(`${CLI} is missing: run \`npm run build\` first (npm run bench does)`);

const baselines = { nodeStartupMs: 0, cliVersionMs: 0 };
{
  const a: number[] = [], b: number[] = [];
  for (let i = 0; i < 7; i++) {
    a.push(runOnce(process.execPath, ['-e', '0'], '/dev/null').wallMs);
    b.push(runOnce(process.execPath, [CLI, '--version'], '/dev/null').wallMs);
  }
  baselines.nodeStartupMs = r1(median(a));
  baselines.cliVersionMs = r1(median(b));
}

// ---------- 1. generated 2,000+ resource tree ----------
const shape = { overlays: 50, appsPerBase: 3 };
const tree = generateTree(shape);
const genDir = path.join(work, 'tree');
for (const [f, text] of Object.entries(tree.files)) {
  const p = path.join(genDir, f);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
}
console.log(`\ngenerated ${Object.keys(tree.files).length} files: root + ${shape.overlays} overlays over 3 shared bases, ${tree.expectedResources} resources expected`);
const large = benchCase('large', path.join(genDir, tree.root), REPS);
if (large.resources < 2000) fail(`the generated build has only ${large.resources} resources`);

// ---------- 2. largest conformance case ----------
let conformance: CaseResult | { skipped: string };
const casesDir = path.resolve(repo, '../shared/conformance/cases');
if (!fs.existsSync(casesDir)) {
  conformance = { skipped: `${casesDir} is absent` };
  console.log(`\n[conformance] SKIPPED: ${casesDir} is absent`);
} else {
  const candidates = fs.readdirSync(casesDir)
    .map((name) => ({ name, file: path.join(casesDir, name, 'expected.yaml') }))
    .filter((c) => fs.existsSync(c.file))
    .map((c) => ({ ...c, size: fs.statSync(c.file).size }))
    .sort((a, b) => b.size - a.size || a.name.localeCompare(b.name));
  const best = candidates[0];
  if (!best) {
    conformance = { skipped: 'no case with an expected.yaml' };
    console.log('\n[conformance] SKIPPED: no case with an expected.yaml');
  } else {
    const meta = JSON.parse(fs.readFileSync(path.join(casesDir, best.name, 'case.json'), 'utf8')) as { dir?: string };
    conformance = benchCase(`conformance ${best.name} (${best.size} B expected.yaml)`, path.join(casesDir, best.name, 'input', meta.dir ?? '.'), SMALL_REPS);
  }
}

// ---------- 3. in-process warm re-render ----------
// Bundled like dist/ (esbuild, cjs, source map) so it runs the code shape the server runs and its
// profile maps back to source lines.
const WARM_JS = path.join(work, 'warm.js');
buildSync({ entryPoints: [path.join(__dirname, 'warm.ts')], outfile: WARM_JS, bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' });
interface WarmOut { cold: { buildMs: number; totalMs: number; resources: number }; build: number[]; total: number[]; edited: string }
function runWarm(extra: string[] = []): WarmOut {
  const r = spawnSync(process.execPath, [WARM_JS, '--iterations', String(ITERATIONS), ...extra], { cwd: repo, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) fail(`warm.ts failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as WarmOut;
}
process.stdout.write(`\n[warm re-render] ${WARM_PROCS} processes × ${ITERATIONS} edits (after 5 warm-up edits): `);
const warmRuns: WarmOut[] = [];
for (let i = 0; i < WARM_PROCS; i++) { warmRuns.push(runWarm()); process.stdout.write('.'); }
process.stdout.write('\n');
const allTotal = warmRuns.flatMap((w) => w.total);
const allBuild = warmRuns.flatMap((w) => w.build);
const warm = {
  resources: warmRuns[0]!.cold.resources,
  edited: warmRuns[0]!.edited,
  samples: allTotal.length,
  rerenderMedianMs: r1(median(allTotal)), rerenderP95Ms: r1(quantile(allTotal, 0.95)),
  buildOnlyMedianMs: r1(median(allBuild)), buildOnlyP95Ms: r1(quantile(allBuild, 0.95)),
  perProcessMedianMs: warmRuns.map((w) => r1(median(w.total))),
  coldFirstBuildMs: r1(median(warmRuns.map((w) => w.cold.buildMs))),
  coldFirstRenderMs: r1(median(warmRuns.map((w) => w.cold.totalMs))),
};

// ---------- 4. language server ----------
interface ServerOut {
  apps: number; overlays: number; environments: number; indexMs: number; allRenderedMs: number;
  completionP50: number; completionP95: number; completionOk: boolean; completionItems: number;
  diagnosticsP50: number; diagnosticsP95: number; sharedComponentEditAllRerenderedMs: number; peakRssMB: number;
}
let server: ServerOut | { skipped: string };
if (!SERVER) {
  server = { skipped: '--no-server' };
} else if (!fs.existsSync(path.join(repo, 'dist/server.js'))) {
  server = { skipped: 'dist/server.js is missing' };
} else {
  process.stdout.write(`\n[language server] ${SERVER_APPS} apps × 3 overlays, dist/server.js over JSON-RPC… `);
  const out = path.join(work, 'server-bench.json');
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'server.ts'), '--apps', String(SERVER_APPS), '--json', out], { cwd: repo, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0 || !fs.existsSync(out)) fail(`test/bench/server.ts failed:\n${r.stderr}${r.stdout}`);
  server = JSON.parse(fs.readFileSync(out, 'utf8')) as ServerOut;
  process.stdout.write('done\n');
}

// ---------- report ----------
const TARGET_RATIO = 0.5, TARGET_WARM_MS = 10;
const rows: string[][] = [['measure', 'GitOps Lens', 'kubectl', 'ratio', 'target', 'verdict']];
const verdict = (ok: boolean): string => (ok ? 'ok' : 'MISSED');
const caseRows = (label: string, c: CaseResult): void => {
  const m = c.medians;
  rows.push([`${label}: wall (median of ${c.reps})`, `${m.cliWallMs} ms`, `${m.kubectlWallMs} ms`, m.ratio.toFixed(3), `<= ${TARGET_RATIO}`, verdict(m.ratio <= TARGET_RATIO)]);
  rows.push([`${label}: startup floor`, `${baselines.nodeStartupMs} ms`, '', (baselines.nodeStartupMs / m.kubectlWallMs).toFixed(3), '(info)', 'node -e 0 / kubectl']);
  if (m.cpuRatio !== undefined) rows.push([`${label}: CPU user+sys`, `${m.cliCpuMs} ms`, `${m.kubectlCpuMs} ms`, m.cpuRatio.toFixed(3), '(info)', '']);
  rows.push([`${label}: outputs`, `${c.comparison.documents[0]} docs`, `${c.comparison.documents[1]} docs`, '', 'same', c.comparison.same ? (c.comparison.bytesIdentical ? 'same (bytes too)' : 'same docs') : 'DIFFER']);
};
caseRows(`generated ${large.resources} res`, large);
if ('medians' in conformance) caseRows(`conformance ${conformance.name.split(' ')[1]}`, conformance);
else rows.push(['conformance largest case', '-', '-', '-', '-', `skipped (${conformance.skipped})`]);
rows.push([`warm re-render ${warm.resources} res: median`, `${warm.rerenderMedianMs} ms`, '', '', `<= ${TARGET_WARM_MS} ms`, verdict(warm.rerenderMedianMs <= TARGET_WARM_MS)]);
rows.push([`warm re-render ${warm.resources} res: p95`, `${warm.rerenderP95Ms} ms`, '', '', `<= ${TARGET_WARM_MS} ms`, verdict(warm.rerenderP95Ms <= TARGET_WARM_MS)]);
rows.push(['  of which engine.build (median / p95)', `${warm.buildOnlyMedianMs} / ${warm.buildOnlyP95Ms} ms`, '', '', '', '']);
rows.push(['cold first build + render (median)', `${warm.coldFirstBuildMs} + ${r1(warm.coldFirstRenderMs - warm.coldFirstBuildMs)} ms`, '', '', '(info)', '']);
rows.push([`peak RSS, generated ${large.resources} res (median)`, `${large.medians.cliRssMb ?? '?'} MB`, `${large.medians.kubectlRssMb ?? 'n/a'} MB`, large.medians.cliRssMb && large.medians.kubectlRssMb ? (large.medians.cliRssMb / large.medians.kubectlRssMb).toFixed(3) : '', '(info)', '']);
rows.push(['node -e 0 / cli --version (startup floor)', `${baselines.nodeStartupMs} / ${baselines.cliVersionMs} ms`, '', '', '(info)', '']);
const TARGET_COMPLETION_MS = 20, TARGET_DIAGNOSTICS_MS = 100, TARGET_SERVER_RSS_MB = 300;
if ('indexMs' in server) {
  const sv = server;
  const envs = `${sv.environments} envs`;
  rows.push([`server ${envs}: initialize (scan + graph)`, `${sv.indexMs} ms`, '', '', '(info)', '']);
  rows.push([`server ${envs}: all rendered + diagnosed`, `${sv.allRenderedMs} ms`, '', '', '(info)', '']);
  rows.push([`server ${envs}: completion p50 / p95`, `${sv.completionP50} / ${sv.completionP95} ms`, '', '', `<= ${TARGET_COMPLETION_MS} ms`, verdict(sv.completionP95 <= TARGET_COMPLETION_MS && sv.completionOk)]);
  rows.push([`server ${envs}: diagnostics after edit p50 / p95`, `${sv.diagnosticsP50} / ${sv.diagnosticsP95} ms`, '', '', `<= ${TARGET_DIAGNOSTICS_MS} ms`, verdict(sv.diagnosticsP95 <= TARGET_DIAGNOSTICS_MS)]);
  rows.push([`server ${envs}: shared component edit, all re-rendered`, `${sv.sharedComponentEditAllRerenderedMs} ms`, '', '', '(info)', '']);
  rows.push([`server ${envs}: peak RSS`, `${sv.peakRssMB} MB`, '', '', `<= ${TARGET_SERVER_RSS_MB} MB`, verdict(sv.peakRssMB <= TARGET_SERVER_RSS_MB)]);
} else {
  rows.push(['language server', '-', '-', '-', '-', `skipped (${server.skipped})`]);
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
const fmt = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
console.log(`\n${fmt(rows[0]!)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.slice(1).map(fmt).join('\n')}`);
const loadEnd = os.loadavg();
console.log(`load average at start ${loadStart.map((l) => l.toFixed(2)).join(' ')}, at end ${loadEnd.map((l) => l.toFixed(2)).join(' ')} (${os.cpus().length} CPUs)`);

// ---------- profiles for missed targets ----------
const profiles: Record<string, ProfileSummary> = {};
const missedLarge = large.medians.ratio > TARGET_RATIO;
const missedConf = 'medians' in conformance && conformance.medians.ratio > TARGET_RATIO;
const missedWarm = warm.rerenderMedianMs > TARGET_WARM_MS || warm.rerenderP95Ms > TARGET_WARM_MS;
if (PROFILE && (missedLarge || missedConf || missedWarm)) {
  console.log('\nProfiles of the missed targets (sampled once each; percentages of sampled time):');
  const profDir = path.join(work, 'profiles');
  fs.mkdirSync(profDir, { recursive: true });
  const cliProfile = (label: string, dir: string): void => {
    const d = path.join(profDir, label);
    const r = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-interval', '200', '--cpu-prof-dir', d, CLI, 'build', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) { console.log(`  (profiling ${label} failed)`); return; }
    const file = fs.readdirSync(d).find((f) => f.endsWith('.cpuprofile'))!;
    profiles[label] = summarizeProfile(JSON.parse(fs.readFileSync(path.join(d, file), 'utf8')) as CpuProfile);
    console.log(formatSummary(`CLI on ${label} (${path.join(d, file)})`, profiles[label]!));
  };
  if (missedLarge) cliProfile('large', large.dir);
  if (missedConf && 'medians' in conformance) cliProfile('conformance', conformance.dir);
  if (missedWarm) {
    const file = path.join(profDir, 'warm.cpuprofile');
    runWarm(['--profile', file]);
    profiles.warm = summarizeProfile(JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile);
    console.log(formatSummary(`warm re-render loop only, ${ITERATIONS} edits (${file})`, profiles.warm));
  }
}

// ---------- JSON ----------
const results = {
  when: new Date().toISOString(),
  node: process.version, kustomize: kubectlVersion, cpus: os.cpus().length,
  loadavg: { start: loadStart, end: loadEnd },
  targets: { cliToKubectlWallRatio: TARGET_RATIO, warmRerenderMs: TARGET_WARM_MS, serverCompletionP95Ms: TARGET_COMPLETION_MS, serverDiagnosticsP95Ms: TARGET_DIAGNOSTICS_MS, serverPeakRssMB: TARGET_SERVER_RSS_MB },
  baselines,
  large: { ...large, tree: { ...shape, files: Object.keys(tree.files).length } },
  conformance,
  warm: { ...warm, samplesMs: { total: allTotal.map(r3), build: allBuild.map(r3) } },
  server,
  missed: {
    large: missedLarge, conformance: missedConf, warm: missedWarm,
    server: 'indexMs' in server && (server.completionP95 > TARGET_COMPLETION_MS || !server.completionOk || server.diagnosticsP95 > TARGET_DIAGNOSTICS_MS || server.peakRssMB > TARGET_SERVER_RSS_MB),
  },
  profiles,
};
const jsonFile = jsonArg >= 0 ? path.resolve(argv[jsonArg + 1]!) : path.join(os.tmpdir(), 'gitops-lens-bench-last-results.json');
fs.writeFileSync(jsonFile, JSON.stringify(results, null, 2) + '\n');
console.log(`\nresults JSON: ${jsonFile}`);
if (!argv.includes('--keep')) {
  // keep the profiles (they are referenced above); drop the generated tree and outputs
  fs.rmSync(genDir, { recursive: true, force: true });
  for (const f of ['cli.yaml', 'kubectl.yaml', 'out.yaml']) fs.rmSync(path.join(work, f), { force: true });
}
