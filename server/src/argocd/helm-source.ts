// An Argo CD Application's Helm sources as its repo-server renders them (argo-cd
// reposerver/repository.go helmTemplate, util/helm/cmd.go template): a source whose path holds a
// chart (Chart.yaml, and no kustomization beside it, or an explicit `helm:` block) is rendered with
// `helm template PATH --name-template RELEASE --namespace NS`, then `--set` / `--set-string` /
// `--set-file` for the parameters, `--values` for each valueFiles entry (relative to the chart,
// absolute ones to the repository root, `$ref/…` to a source with that `ref`), `--values` for
// values / valuesObject, `--include-crds` unless skipCrds, `--skip-tests` with skipTests. Pure.

import { isObject, isWithin, join, type JsonObject, type JsonValue } from '../engine/index';
import { stringify } from 'yaml';

export interface HelmSourcePlan {
  app: string;
  /** The chart folder, absolute. */
  chart: string;
  /** `helm template` arguments after the chart. */
  args: string[];
  /** The values / valuesObject text, written to a file and passed last with --values. */
  extraValues?: string;
}

export interface AppContext {
  /** The repository every source of the Application is taken to be (its Git root). */
  repoRoot: string;
  exists(path: string): boolean;
  /** A chart of a Helm repository, fetched (with remote fetching on); undefined when fetching is off. */
  pullChart?(ref: { repoURL: string; chart: string; version: string }): { dir: string } | { error: string };
}

export function isApplication(v: JsonValue): v is JsonObject {
  return isObject(v) && v.kind === 'Application' && typeof v.apiVersion === 'string' && v.apiVersion.startsWith('argoproj.io/');
}

const obj = (v: JsonValue | undefined): JsonObject => (isObject(v) ? v : {});
const str = (v: JsonValue | undefined): string => (typeof v === 'string' ? v : '');

/** Each Helm source of the Application at a path of this repository, planned; sources of other types are left out. */
export function planHelmSources(app: JsonObject, ctx: AppContext): (HelmSourcePlan | { error: string })[] {
  const name = str(obj(app.metadata).name);
  const spec = obj(app.spec);
  const sources = isObject(spec.source) ? [spec.source] : Array.isArray(spec.sources) ? spec.sources.filter(isObject) : [];
  const refs = new Map(sources.filter((s) => str(s.ref)).map((s) => [str(s.ref), s]));
  const out: (HelmSourcePlan | { error: string })[] = [];
  for (const s of sources) {
    if (str(s.chart)) {
      if (!ctx.pullChart) { out.push({ error: `Application ${name}: chart ${str(s.chart)} from ${str(s.repoURL)} is not fetched: remote fetching is off (--enable-remote fetches it)` }); continue; }
      const pulled = ctx.pullChart({ repoURL: str(s.repoURL), chart: str(s.chart), version: str(s.targetRevision) });
      out.push('error' in pulled ? { error: `Application ${name}: ${pulled.error}` } : planOne(name, obj(spec.destination), pulled.dir, isObject(s.helm) ? s.helm : {}, refs, ctx));
      continue;
    }
    const path = str(s.path);
    if (!path && !isObject(s.helm)) continue;
    const chart = join(ctx.repoRoot, path);
    const helm = isObject(s.helm) ? s.helm : undefined;
    const isKustomize = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].some((f) => ctx.exists(`${chart}/${f}`));
    if (!helm && (isKustomize || !ctx.exists(`${chart}/Chart.yaml`))) continue;
    if (!ctx.exists(`${chart}/Chart.yaml`)) { out.push({ error: `Application ${name}: no chart at ${path || '.'} in this repository` }); continue; }
    out.push(planOne(name, obj(spec.destination), chart, helm ?? {}, refs, ctx));
  }
  return out;
}

function planOne(name: string, destination: JsonObject, chart: string, helm: JsonObject, refs: Map<string, JsonObject>, ctx: AppContext): HelmSourcePlan | { error: string } {
  const args = ['--name-template', str(helm.releaseName) || name];
  const ns = str(helm.namespace) || str(destination.namespace);
  if (ns) args.push('--namespace', ns);
  for (const p of Array.isArray(helm.parameters) ? helm.parameters.filter(isObject) : []) args.push(p.forceString === true ? '--set-string' : '--set', `${str(p.name)}=${setValue(str(p.value))}`);
  for (const p of Array.isArray(helm.fileParameters) ? helm.fileParameters.filter(isObject) : []) {
    const file = resolveFile(str(p.path), chart, refs, ctx);
    if ('error' in file) return { error: `Application ${name}: fileParameters ${str(p.name)}: ${file.error}` };
    args.push('--set-file', `${str(p.name)}=${file.path}`);
  }
  for (const f of Array.isArray(helm.valueFiles) ? helm.valueFiles.filter((x): x is string => typeof x === 'string') : []) {
    const file = resolveFile(f, chart, refs, ctx);
    if ('error' in file) return { error: `Application ${name}: valueFiles ${f}: ${file.error}` };
    if (!ctx.exists(file.path)) {
      if (helm.ignoreMissingValueFiles === true) continue;
      return { error: `Application ${name}: valueFiles ${f}: no such file in this repository` };
    }
    args.push('--values', file.path);
  }
  const extra = isObject(helm.valuesObject) ? stringify(helm.valuesObject) : str(helm.values);
  if (helm.skipCrds !== true) args.push('--include-crds');
  if (helm.skipSchemaValidation === true) args.push('--skip-schema-validation');
  if (helm.skipTests === true) args.push('--skip-tests');
  return { app: name, chart, args, ...(extra ? { extraValues: extra } : {}) };
}

/** A value file's path: `$ref/…` in the source with that ref, absolute from the repository root, else relative to the chart; never outside the repository. */
function resolveFile(f: string, chart: string, refs: Map<string, JsonObject>, ctx: AppContext): { path: string } | { error: string } {
  let p: string;
  const m = /^\$([^/]+)\/(.*)$/.exec(f);
  if (m) {
    if (!refs.has(m[1]!)) return { error: `no source has ref '${m[1]}'` };
    p = join(ctx.repoRoot, m[2]!);
  } else p = f.startsWith('/') ? join(ctx.repoRoot, f) : join(chart, f);
  if (!isWithin(ctx.repoRoot, p)) return { error: 'outside the repository' };
  return { path: p };
}

/** Argo CD escapes commas in a parameter's value (so helm reads one value), unless it is a `{…}` list or already escaped. */
function setValue(v: string): string {
  if (v.startsWith('{') && v.endsWith('}')) return v;
  return v.replace(/(?<!\\),/g, '\\,');
}
