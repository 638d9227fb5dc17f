#!/usr/bin/env node
// npm run precision [-- REPO...] [--runs N] [--record FILE] [--show N] [--timeout S] [--server PATH] [--no-cluster]
//
// Diagnostics precision on real repositories: the language server (dist/server.js, default settings)
// is opened on every pinned repository of the realworld cache (test/realworld/repos.json) the way an
// editor opens a folder, left to settle, and every diagnostic it publishes is collected. Each Error
// and Warning then gets a verdict, from an oracle where one exists:
//   - render errors and the kustomization checks (missing files, unknown fields, wrong kinds, cycles):
//     `kubectl kustomize` on the environments the diagnostic names (or that read the file) must fail;
//   - "selects nothing": the entry is removed from a scratch copy of the repository and every
//     environment that includes it is built again with kubectl: the output must not change;
//   - deprecated fields: kubectl must print the same deprecation warning for that environment;
//   - schema problems: the rendered object, server-side dry-run with strict field validation against
//     the test API server (test/cluster, a real kube-apiserver, with the Flux and Argo CD CRDs of
//     test/realworld/agent-crds.mjs and the repository's own CRDs installed): it must be refused for
//     that field (--no-cluster leaves these to the hand verdicts);
// and otherwise from a hand verdict in test/realworld/precision-verdicts.json (with its reason).
// Printed: counts and precision per code and severity, the false ones, the undecided ones, the
// "not schema-checked" notices per kind, and whether every run gave identical diagnostics.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseAllDocuments, parseDocument } from 'yaml';
import { available, cacheDir, checkoutDir, ROOT } from './repos.mjs';
import { openServer } from './lsp.mjs';
import { NETWORK, oracle } from './oracle.mjs';

const args = process.argv.slice(2);
const opt = { runs: 2, show: 200, timeout: 60, record: undefined, server: path.join(ROOT, 'dist/server.js'), cluster: true, only: [] };
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--runs') opt.runs = Number(args[++i]);
  else if (a === '--show') opt.show = Number(args[++i]);
  else if (a === '--timeout') opt.timeout = Number(args[++i]);
  else if (a === '--record') opt.record = path.resolve(args[++i]);
  else if (a === '--no-cluster') opt.cluster = false;
  else if (a === '--server') opt.server = path.resolve(args[++i]); // another build (e.g. an older commit's, for a baseline)
  else opt.only.push(a);
}

const repos = available({ only: opt.only });
if (!repos.length) process.exit(2);
const serverJs = opt.server;
if (!fs.existsSync(serverJs)) { process.stderr.write(`${serverJs} is missing: npm run build first\n`); process.exit(2); }
const kubectl = await oracle({ timeout: opt.timeout });
const HAND = path.join(ROOT, 'test/realworld/precision-verdicts.json');
const hand = fs.existsSync(HAND) ? JSON.parse(fs.readFileSync(HAND, 'utf8')) : [];
const SEVERITY = { 1: 'Error', 2: 'Warning', 3: 'Information', 4: 'Hint' };

/** Opens the server on `dir` as an editor would; resolves to every file's last published diagnostics. */
async function serve(dir) {
  const server = await openServer(serverJs, dir);
  const { conn, uri, diagnostics: diags } = server;
  const ms = await server.settled();
  const envs = (await conn.sendRequest('gitopsLens/environments', {})).environments;
  const envsOf = new Map();
  const ask = async (file) => {
    if (!envsOf.has(file)) envsOf.set(file, (await conn.sendRequest('gitopsLens/environmentsForFile', { uri: pathToFileURL(file).href })).environments.map((e) => e.id));
    return envsOf.get(file);
  };
  const files = [...diags.keys()].map((u) => fileURLToPath(u)).filter((f) => diags.get(pathToFileURL(f).href)?.length);
  for (const f of files) await ask(f);
  // The rendered objects schema diagnostics are about (for the dry-run oracle), unmasked: this is a test cluster.
  const rendered = new Map();
  const objectOf = async (envId, id) => {
    if (!rendered.has(envId)) {
      const r = await conn.sendRequest('gitopsLens/render', { environment: envId, workspaceFolder: uri, maskSecrets: false });
      rendered.set(envId, r ? parseAllDocuments(r.yaml).map((d) => d.toJS()).filter((o) => o && typeof o === 'object') : []);
    }
    return rendered.get(envId).find((o) => o.apiVersion === id.apiVersion && o.kind === id.kind && o.metadata?.name === id.name && (o.metadata?.namespace ?? undefined) === id.namespace);
  };
  for (const list of diags.values()) {
    for (const d of list) if (String(d.code).startsWith('schema-') && d.data?.object && d.data.environments?.length) d.object = await objectOf(d.data.environments[0], d.data.object);
  }
  await server.close();
  const stderr = server.stderr();
  if (/uncaught|TypeError|RangeError|ReferenceError/.test(stderr)) process.stderr.write(`server stderr on ${dir}:\n${stderr.slice(0, 2000)}\n`);
  const out = [];
  for (const [u, list] of diags) {
    const file = fileURLToPath(u);
    for (const d of list) out.push({ file: path.relative(dir, file), abs: file, ...d, environments: d.data?.environments ?? envsOf.get(file) ?? [] });
  }
  out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.start.line - b.range.start.line || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)));
  return { diagnostics: out, envs, ms };
}

const canon = (list) => JSON.stringify(list.map(({ abs, object, ...d }) => d));

// ---- verdicts ---------------------------------------------------------------------------------

/** A scratch copy of the checkout (.git left out), where one entry at a time is removed and put back. */
function scratchOf(repo) {
  const dst = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-lens-precision-'));
  fs.cpSync(checkoutDir(repo), dst, { recursive: true, verbatimSymlinks: true, filter: (s) => path.basename(s) !== '.git' });
  return dst;
}

async function envResults(repo, envIds) {
  const out = [];
  for (const id of envIds) out.push({ id, ...(await kubectl.build(repo, id || '.')) });
  return out;
}

const firstLine = (s) => s.trim().split('\n').find((l) => l.trim() && !l.startsWith('# Warning')) ?? '';

/** Kustomization checks and render errors: kubectl must fail where we say the render fails. */
async function failsInKubectl(repo, d) {
  if (!d.environments.length) return undefined;
  const rs = await envResults(repo, d.environments);
  const failing = rs.filter((r) => !r.ok);
  if (failing.some((r) => !NETWORK.test(r.stderr))) {
    const r = failing.find((x) => !NETWORK.test(x.stderr));
    return { ok: true, why: `kubectl fails on ${r.id || '.'}: ${firstLine(r.stderr).slice(0, 160)}` };
  }
  if (failing.length === rs.length) return { ok: false, why: `kubectl needs the network for ${failing.map((r) => r.id).join(', ')} and builds with it (the error is about what was not fetched)` };
  const built = rs.filter((r) => r.ok).map((r) => r.id || '.');
  return { ok: false, why: `kubectl builds ${built.slice(0, 3).join(', ')}${built.length > 3 ? ` and ${built.length - 3} more` : ''}` };
}

/** "selects nothing": removing the entry changes no environment's kubectl output. */
async function selectsNothing(repo, d, scratch) {
  const yp = d.data?.yamlPath;
  if (!Array.isArray(yp)) return undefined;
  const field = yp[0];
  const remove = field === 'replacements' && yp[2] === 'targets' ? yp.slice(0, 4) : yp.slice(0, 2);
  const file = path.join(scratch, d.file);
  const original = fs.readFileSync(file, 'utf8');
  const doc = parseDocument(original);
  doc.deleteIn(remove);
  if (field === 'replacements' && yp[2] === 'targets' && (doc.getIn(['replacements', yp[1], 'targets'])?.items?.length ?? 0) === 0) doc.deleteIn(yp.slice(0, 2));
  fs.rmSync(file);
  fs.writeFileSync(file, doc.toString());
  try {
    let compared = 0;
    for (const id of d.environments) {
      const before = await kubectl.build(repo, id || '.');
      if (!before.ok) continue;
      const after = await kubectl.buildIn(scratch, id || '.');
      if (!after.ok) return { ok: false, why: `without the entry kubectl fails on ${id}: ${firstLine(after.stderr).slice(0, 120)}` };
      if (after.stdout !== before.stdout) return { ok: false, why: `removing it changes ${id || '.'}'s output` };
      compared++;
    }
    if (!compared) return undefined;
    return { ok: true, why: `removing it changes nothing in ${compared} environment(s)` };
  } finally {
    fs.rmSync(file);
    fs.writeFileSync(file, original);
  }
}

/** Deprecated fields: kubectl, building the kustomization's own folder, prints the same warning. */
async function deprecated(repo, d) {
  const field = d.data?.field;
  const r = await kubectl.build(repo, path.dirname(d.file) || '.');
  if (r.stderr.includes(`'${field}' is deprecated`)) return { ok: true, why: 'kubectl prints the same deprecation warning' };
  return { ok: false, why: 'kubectl does not warn' };
}

/** The test API server, with the agents' CRDs; started on first use. */
let clusterP;
function cluster() {
  clusterP ??= (async () => {
    const { ensureCluster } = await import('../cluster/harness.mjs');
    const c = await ensureCluster({ name: 'precision' });
    const { agentCrds } = await import('./agent-crds.mjs');
    for (const crd of await agentCrds()) applyCrd(c, crd);
    return c;
  })().catch((e) => {
    process.stderr.write(`the test API server for schema verdicts is not available, schema problems stay undecided: ${(String(e.stderr ?? '').trim() || e.message)}\n`);
    return undefined;
  });
  return clusterP;
}

function applyCrd(c, crd) {
  c.kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager=precision', '-f', '-'], { input: JSON.stringify(crd) });
  // Established shortly after; `kubectl wait` fails while the CRD has no conditions at all.
  for (let i = 0; i < 120; i++) {
    const conditions = c.kubectl(['get', 'crd', crd.metadata.name, '-o', 'jsonpath={.status.conditions}']).trim();
    if (conditions && (JSON.parse(conditions) ?? []).some((x) => x.type === 'Established' && x.status === 'True')) return;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
  }
  throw new Error(`CRD ${crd.metadata.name} is not established after 30 s`);
}

/** The repository's own CRDs (group/version/kind -> the first CRD, by path, that serves it), read once per repository. */
const repoCrds = new Map();
function crdsOfRepo(repo) {
  if (repoCrds.has(repo.repo)) return repoCrds.get(repo.repo);
  const map = new Map();
  const walk = (d) => {
    let entries;
    try { entries = fs.readdirSync(d, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && e.name !== '.git') walk(p);
      else if (e.isFile() && /\.ya?ml$/i.test(e.name) && fs.statSync(p).size < 64 * 1024 * 1024) {
        const text = fs.readFileSync(p, 'utf8');
        if (!text.includes('CustomResourceDefinition')) continue;
        for (const doc of parseAllDocuments(text)) {
          let o;
          try { o = doc.toJS(); } catch { continue; }
          if (o?.kind !== 'CustomResourceDefinition' || o.apiVersion !== 'apiextensions.k8s.io/v1' || !o.spec?.group || !o.spec?.names?.kind) continue;
          for (const v of Array.isArray(o.spec.versions) ? o.spec.versions : []) if (v?.served && !map.has(`${o.spec.group}/${v.name}/${o.spec.names.kind}`)) map.set(`${o.spec.group}/${v.name}/${o.spec.names.kind}`, o);
        }
      }
    }
  };
  walk(checkoutDir(repo));
  repoCrds.set(repo.repo, map);
  return map;
}

const installedFor = new Map(); // CRD name -> repository it was installed for
const namespaces = new Set();

/** Schema problems: the API server must refuse the rendered object for that field. */
async function dryRun(repo, d) {
  if (!opt.cluster) return undefined;
  if (!d.object) return { undecided: true, why: 'the rendered object was not found' };
  const c = await cluster();
  if (!c) return { undecided: true, why: 'no test API server' };
  const o = structuredClone(d.object);
  const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion];
  const own = crdsOfRepo(repo).get(`${group}/${version}/${o.kind}`);
  if (own && installedFor.get(own.metadata.name) !== repo.repo) {
    try { applyCrd(c, own); installedFor.set(own.metadata.name, repo.repo); } catch (e) { return { ok: false, undecided: true, why: `the repository's CRD does not install: ${String(e.stderr ?? e.message).trim().split('\n')[0]}` }; }
  }
  const ns = o.metadata?.namespace;
  if (ns && !namespaces.has(ns)) {
    try { c.kubectl(['create', 'namespace', ns]); } catch { /* exists */ }
    namespaces.add(ns);
  }
  delete o.metadata?.resourceVersion;
  // The refusal must be about this field: it names one of the path's keys (a map key may hold dots).
  const keys = String(d.data?.path ?? '').split(/[.[\]/]/).filter((k) => k.length > 2 && !/^\d+$/.test(k));
  try {
    c.kubectl(['apply', '--server-side', '--dry-run=server', '--validate=strict', '--field-manager=precision', '-f', '-'], { input: JSON.stringify(o) });
    return { ok: false, why: 'the API server accepts the object (server-side dry-run, strict field validation)' };
  } catch (e) {
    const msg = String(e.stderr ?? e.message).trim();
    if (/no matches for kind|could not find the requested resource|the server doesn't have a resource type/i.test(msg)) return { undecided: true, why: `the API server does not know the kind: ${msg.split('\n')[0].slice(0, 160)}` };
    if (keys.some((k) => msg.includes(k))) return { ok: true, why: `the API server refuses it: ${msg.split('\n')[0].slice(0, 200)}` };
    return { undecided: true, why: `the API server refuses it for another reason: ${msg.split('\n')[0].slice(0, 160)}` };
  }
}

function handVerdict(repo, d) {
  const h = hand.find((x) => x.repo === repo.repo && x.file === d.file && x.code === d.code && d.message.startsWith(x.message));
  return h ? { ok: h.verdict === 'true', why: `hand verdict: ${h.reason}` } : undefined;
}

const STATIC_CODES = new Set(['missing-file', 'missing-kustomization', 'not-a-dir', 'not-a-file', 'not-a-component', 'component-as-resource', 'cycle', 'schema', 'yaml', 'unknown-field', 'type', 'render']);

async function verdict(repo, d, scratch) {
  const h = handVerdict(repo, d);
  if (h) return h;
  const code = String(d.code ?? '');
  if (code === 'selects-nothing') return selectsNothing(repo, d, scratch());
  if (code === 'deprecated') return deprecated(repo, d);
  if (STATIC_CODES.has(code) || !code.startsWith('schema-')) return failsInKubectl(repo, d);
  return dryRun(repo, d);
}

// ---- run --------------------------------------------------------------------------------------

const rows = new Map(); // `${severity}|${code}` -> { true, false, undecided }
const falseOnes = [];
const undecided = [];
const perRepo = [];
const unchecked = new Map(); // kind -> notices in the workspace (max over repositories)
let nondeterministic = 0;
const started = Date.now();

for (const repo of repos) {
  const dir = checkoutDir(repo);
  const runs = [];
  for (let i = 0; i < Math.max(1, opt.runs); i++) runs.push(await serve(dir));
  const same = runs.every((r) => canon(r.diagnostics) === canon(runs[0].diagnostics));
  if (!same) {
    nondeterministic++;
    const a = new Set(runs[0].diagnostics.map((d) => `${d.file}:${d.range.start.line + 1}: ${d.message}`));
    const b = new Set(runs[1].diagnostics.map((d) => `${d.file}:${d.range.start.line + 1}: ${d.message}`));
    const onlyA = [...a].filter((x) => !b.has(x)), onlyB = [...b].filter((x) => !a.has(x));
    process.stderr.write(`${repo.repo}: runs differ: ${onlyA.length} only in run 1, ${onlyB.length} only in run 2\n  ${[...onlyA.slice(0, 3), ...onlyB.slice(0, 3)].join('\n  ')}\n`);
  }
  const { diagnostics, envs, ms } = runs[0];
  let scratchDir;
  const scratch = () => (scratchDir ??= scratchOf(repo));
  const counts = { Error: 0, Warning: 0, Information: 0, Hint: 0, trueErr: 0, falseErr: 0, trueWarn: 0, falseWarn: 0 };
  const kinds = new Map();
  for (const d of diagnostics) {
    const sev = SEVERITY[d.severity] ?? 'Error';
    counts[sev]++;
    if (d.code === 'schema-unchecked') { const k = `${d.data?.apiVersion}/${d.data?.kind}`; kinds.set(k, (kinds.get(k) ?? 0) + 1); }
    if (sev !== 'Error' && sev !== 'Warning') continue;
    const key = `${sev}|${d.code ?? '(none)'}`;
    if (!rows.has(key)) rows.set(key, { true: 0, false: 0, undecided: 0 });
    const row = rows.get(key);
    let v;
    try { v = await verdict(repo, d, scratch); } catch (e) { v = undefined; process.stderr.write(`verdict failed: ${e.stack}\n`); }
    const where = `${repo.repo} ${d.file}:${d.range.start.line + 1}`;
    d.message = d.message.split(dir).join('<repo>'); // the report names no machine's paths
    if (!v || v.undecided) { row.undecided++; undecided.push({ sev, code: d.code, where, message: d.message, why: v?.why }); continue; }
    if (v.ok) { row.true++; if (sev === 'Error') counts.trueErr++; else counts.trueWarn++; } else { row.false++; if (sev === 'Error') counts.falseErr++; else counts.falseWarn++; falseOnes.push({ sev, code: d.code, where, message: d.message, why: v.why }); }
  }
  if (scratchDir) fs.rmSync(scratchDir, { recursive: true, force: true });
  for (const [k, n] of kinds) unchecked.set(k, Math.max(unchecked.get(k) ?? 0, n));
  perRepo.push({ repo: repo.repo, environments: envs.length, ms, same, ...counts });
  process.stderr.write(`${repo.repo}: ${envs.length} environments settled in ${(ms / 1000).toFixed(1)} s; ${counts.Error} errors (${counts.falseErr} false), ${counts.Warning} warnings (${counts.falseWarn} false), ${counts.Information} info, ${counts.Hint} hints${same ? '' : '; RUNS DIFFER'}\n`);
}

const pct = (t, f) => (t + f ? `${((100 * t) / (t + f)).toFixed(1)}%` : '-');
const lines = [];
lines.push(`Diagnostics precision: ${path.relative(ROOT, serverJs)} (default settings) on ${perRepo.length} repositories, oracle ${kubectl.name}, ${new Date().toISOString().slice(0, 10)}`);
lines.push('');
lines.push('| repository | environments | settle s | errors | false | warnings | false | information | hints | runs identical |');
lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
for (const r of perRepo) lines.push(`| ${r.repo} | ${r.environments} | ${(r.ms / 1000).toFixed(1)} | ${r.Error} | ${r.falseErr} | ${r.Warning} | ${r.falseWarn} | ${r.Information} | ${r.Hint} | ${r.same ? 'yes' : '**no**'} |`);
const sum = (k) => perRepo.reduce((s, r) => s + r[k], 0);
lines.push(`| **total** | ${sum('environments')} | | ${sum('Error')} | ${sum('falseErr')} | ${sum('Warning')} | ${sum('falseWarn')} | ${sum('Information')} | ${sum('Hint')} | ${nondeterministic ? `**${nondeterministic} differ**` : 'yes'} |`);
lines.push('');
lines.push(`Error precision **${pct(sum('trueErr'), sum('falseErr'))}**, Warning precision **${pct(sum('trueWarn'), sum('falseWarn'))}** (undecided left out: ${undecided.length}).`);
lines.push('');
lines.push('| severity | code | true | false | undecided | precision |');
lines.push('| --- | --- | ---: | ---: | ---: | ---: |');
for (const [k, r] of [...rows].sort()) { const [sev, code] = k.split('|'); lines.push(`| ${sev} | ${code} | ${r.true} | ${r.false} | ${r.undecided} | ${pct(r.true, r.false)} |`); }
lines.push('');
const maxUnchecked = Math.max(0, ...unchecked.values());
lines.push(`"not schema-checked" notices: ${[...unchecked.values()].reduce((a, b) => a + b, 0)} for ${unchecked.size} kinds; at most ${maxUnchecked} for one kind in one workspace.`);
lines.push('');
lines.push(`False (${falseOnes.length}):`);
for (const f of falseOnes.slice(0, opt.show)) lines.push(`- [${f.sev} ${f.code}] ${f.where}: ${f.message.slice(0, 200)} — ${f.why}`);
if (falseOnes.length > opt.show) lines.push(`- … ${falseOnes.length - opt.show} more`);
lines.push('');
lines.push(`Undecided (${undecided.length}; add a hand verdict to test/realworld/precision-verdicts.json):`);
for (const f of undecided.slice(0, opt.show)) lines.push(`- [${f.sev} ${f.code}] ${f.where}: ${f.message.slice(0, 200)}${f.why ? ` — ${f.why}` : ''}`);
if (undecided.length > opt.show) lines.push(`- … ${undecided.length - opt.show} more`);
const text = `${lines.join('\n')}\n`;
process.stdout.write(text);
process.stderr.write(`precision: ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
fs.mkdirSync(path.join(cacheDir(), 'results'), { recursive: true });
if (clusterP) (await clusterP)?.release();
fs.writeFileSync(path.join(cacheDir(), 'results', 'precision-latest.json'), JSON.stringify({ perRepo, rows: Object.fromEntries(rows), falseOnes, undecided, unchecked: Object.fromEntries(unchecked) }, null, 1));
if (opt.record) fs.writeFileSync(opt.record, text);
