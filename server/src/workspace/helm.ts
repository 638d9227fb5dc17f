// Runs helm for helmCharts as kustomize's HelmChartInflationGenerator does with --enable-helm
// (kustomize v5.5.0: the same chart paths, values handling, `helm pull` of remote charts into
// chartHome, and `helm template` arguments). Lives outside the engine, which never spawns
// processes; the engine receives this as its HelmRunner.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { type HelmRequest, type HelmRunner, KustomizeError } from '../engine/index';

/** The helm binary to use: the configured one, else `helm` on PATH; undefined when there is none. */
export function findHelm(configured?: string): string | undefined {
  if (configured) return configured;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, 'helm');
    try { fs.accessSync(p, fs.constants.X_OK); if (fs.statSync(p).isFile()) return p; } catch { /* next */ }
  }
  return undefined;
}

/** A runner for when no helm was found: every helmCharts entry fails saying what is missing and how to give it. */
export function missingHelmRunner(howToConfigure: string): HelmRunner {
  return () => {
    throw new KustomizeError(`helmCharts need a helm v3 binary, and none was found: no helm is configured and there is no 'helm' on PATH; ${howToConfigure}`);
  };
}

type Json = unknown;
type JsonMap = Record<string, Json>;
const isMap = (v: Json): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);

const MERGE_OPTIONS = ['merge', 'override', 'replace'];

/** kyaml merge2.Merge(src, dest) on values (no schema): src wins, maps merge, null deletes, lists are replaced whole. */
function mergeValues(src: Json, dest: Json): Json {
  if (!isMap(src) || !isMap(dest)) return src;
  const out: JsonMap = { ...dest };
  for (const [k, v] of Object.entries(src)) {
    if (v === null) delete out[k];
    else out[k] = k in dest ? mergeValues(v, dest[k]) : v;
  }
  return out;
}

const str = (v: Json): string => (v === undefined || v === null ? '' : String(v));
const strings = (v: Json): string[] => (Array.isArray(v) ? v.map(str) : []);

interface Run { stdout: string; stderr: string; status: number | null; error?: NodeJS.ErrnoException }

/**
 * kustomize's --helm-kube-version, --helm-api-versions and --helm-debug. As kustomize v5.5.0 applies
 * them (before it reads the chart's entry over them), they fill in what a chart does not set itself.
 */
export interface HelmOverrides { kubeVersion?: string; apiVersions?: string[]; debug?: boolean }

export function helmRunner(helm: string, overrides: HelmOverrides = {}, howToConfigure = 'give a helm v3 binary with --helm-command PATH, or put helm on PATH'): HelmRunner {
  const checked = new Set<string>();
  return (req: HelmRequest): string => {
    const c = { ...(req.chart as JsonMap) };
    if (overrides.kubeVersion && !c.kubeVersion) c.kubeVersion = overrides.kubeVersion;
    if (overrides.apiVersions?.length && !(Array.isArray(c.apiVersions) && c.apiVersions.length)) c.apiVersions = overrides.apiVersions;
    if (overrides.debug && c.debug === undefined) c.debug = true;
    const g = req.globals as JsonMap;
    const name = str(c.name);
    if (!name) throw new KustomizeError('chart name cannot be empty');
    const repo = str(c.repo);
    const version = str(c.version);
    const under = (p: string) => (path.isAbsolute(p) ? p : path.join(req.kustomizationDir, p));
    // A generators: entry carries the globals in its own config; a helmCharts entry gets helmGlobals.
    let chartHome = under(str(c.chartHome ?? g.chartHome) || 'charts');
    if (version && repo) chartHome = path.join(chartHome, `${name}-${version}`);
    const chartDir = path.join(chartHome, name);
    // kustomize reads values files through the root's loader: inside the root unless restrictions are off.
    const restricted = (req.loadRestrictor ?? 'rootOnly') === 'rootOnly';
    const root = realOr(req.kustomizationDir);
    const checkRoot = (p: string): void => {
      const real = realOr(p);
      if (restricted && real !== root && !real.startsWith(root + path.sep)) {
        throw new KustomizeError(`security; file '${real}' is not in or below '${root}'`);
      }
    };
    const valuesFile = c.valuesFile ? under(str(c.valuesFile)) : path.join(chartDir, 'values.yaml');
    const additional = strings(c.additionalValuesFiles).map((f) => {
      const p = under(f);
      try { checkRoot(p); } catch (e) { throw new KustomizeError(`could not load additionalValuesFile: ${(e as Error).message}`); }
      if (!fs.existsSync(p)) throw new KustomizeError(`could not load additionalValuesFile: ${f}: no such file`);
      return p;
    });
    const merge = str(c.valuesMerge) || 'override';
    if (!MERGE_OPTIONS.includes(merge)) throw new KustomizeError(`valuesMerge must be one of [${MERGE_OPTIONS.join(' ')}]`);

    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-lens-helm-'));
    const configHome = str(c.configHome ?? g.configHome) || path.join(tmp, 'helm');
    const env = { ...process.env, HELM_CONFIG_HOME: configHome, HELM_CACHE_HOME: `${configHome}/.cache`, HELM_DATA_HOME: `${configHome}/.data` };
    const run = (args: string[]): string => {
      const r = spawnSync(helm, args, { env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] }) as Run;
      if (r.error?.code === 'ENOENT') {
        throw new KustomizeError(`helm binary '${helm}' was not found: ${howToConfigure}`);
      }
      if (r.error || r.status !== 0) {
        const why = (r.stderr ?? '').trim() || r.error?.message || `exit status ${r.status}`;
        throw new KustomizeError(`unable to run: '${helm} ${args.join(' ')}': ${why}`);
      }
      return r.stdout;
    };
    const readValues = (): string => {
      checkRoot(valuesFile);
      try { return fs.readFileSync(valuesFile, 'utf8'); } catch {
        throw new KustomizeError(`helm chart '${name}': cannot read values file ${valuesFile}`);
      }
    };
    try {
      if (!checked.has(helm)) {
        const out = run(['version', '-c', '--short']);
        const v = /v?\d+(\.\d+)+/.exec(out)?.[0];
        if (!v) throw new KustomizeError(`cannot find version string in ${out}`);
        if (v.replace(/^v/, '').split('.')[0] !== '3') throw new KustomizeError(`this plugin requires helm V3 but got v${v.replace(/^v/, '')}`);
        checked.add(helm);
      }
      if (!isDir(chartDir)) {
        if (!repo) throw new KustomizeError(`no repo specified for pull, no chart found at '${chartDir}'`);
        const pull = ['pull', '--untar', '--untardir', chartHome];
        if (repo.startsWith('oci://')) pull.push(`${repo.replace(/\/$/, '')}/${name}`);
        else pull.push('--repo', repo, name);
        if (version) pull.push('--version', version);
        run(pull);
      }
      const inline = isMap(c.valuesInline) ? c.valuesInline : {};
      let values: string;
      if (Object.keys(inline).length) {
        if (merge === 'replace') values = stringify(inline);
        else {
          const fromFile = (parse(readValues()) ?? {}) as Json;
          values = stringify(merge === 'override' ? mergeValues(inline, fromFile) : mergeValues(fromFile, inline));
        }
      } else values = readValues();
      const merged = path.join(tmp, `${name}-kustomize-values.yaml`);
      fs.writeFileSync(merged, values);

      const args = ['template'];
      if (c.releaseName) args.push(str(c.releaseName)); else args.push('--generate-name');
      args.push(chartDir);
      if (c.namespace) args.push('--namespace', str(c.namespace));
      if (c.nameTemplate) args.push('--name-template', str(c.nameTemplate));
      args.push('-f', merged);
      for (const f of additional) args.push('-f', f);
      for (const v of strings(c.apiVersions)) args.push('--api-versions', v);
      if (c.kubeVersion) args.push('--kube-version', str(c.kubeVersion));
      if (c.includeCRDs === true) args.push('--include-crds');
      if (c.skipTests === true) args.push('--skip-tests');
      if (c.skipHooks === true) args.push('--no-hooks');
      if (c.debug === true) args.push('--debug');
      return dropLeadingNotes(run(args));
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  };
}

/** The path with symlinks resolved as far as it exists (kustomize's loader compares real paths). */
function realOr(p: string): string {
  try { return fs.realpathSync(p); } catch { return path.resolve(p); }
}

function isDir(p: string): boolean {
  try { return fs.statSync(p).isDirectory(); } catch { return false; }
}

/** helm may print messages before the first document; kustomize then reads from the first `---`. */
function dropLeadingNotes(out: string): string {
  const i = out.search(/^---\s*$/m);
  if (i <= 0) return out;
  try {
    const head = parse(out.slice(0, i)) as Json;
    if (head === null || isMap(head)) return out;
  } catch { /* not YAML: notes */ }
  return out.slice(i);
}
