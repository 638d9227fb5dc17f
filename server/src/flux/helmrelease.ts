// A Flux HelmRelease as helm-controller installs it (helm-controller v1.x, fluxcd/pkg chartutil):
// the release name (spec.releaseName, else `<targetNamespace>-<name>` or the name; shortened with a
// hash past 53 characters), the release namespace (spec.targetNamespace, else the object's), the
// chart (spec.chart.spec.chart, a path in a GitRepository that is this repository), the values
// (spec.valuesFrom merged in order, each ConfigMap or Secret key as YAML, or at a targetPath; then
// spec.values over them), CRDs unless spec.install.crds is Skip, tests only when spec.test.enable,
// hooks unless spec.install.disableHooks. Pure: objects are found through `lookup`, files through `exists`.

import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { isObject, join, type JsonObject, type JsonValue } from '../engine/index';

export interface HelmReleasePlan {
  name: string;
  releaseName: string;
  namespace: string;
  /** The chart folder, absolute. */
  chart: string;
  values: JsonObject;
  includeCrds: boolean;
  skipTests: boolean;
  noHooks: boolean;
  /** spec.postRenderers (kustomize patches and images applied to helm's output). */
  postRenderers: JsonValue[];
}

export interface PlanContext {
  /** The repository the GitRepository source stands for. */
  repoRoot: string;
  exists(path: string): boolean;
  /** A chart of a Helm repository, fetched (with remote fetching on); undefined when fetching is off. */
  pullChart?(ref: { repoURL: string; chart: string; version: string }): { dir: string } | { error: string };
  /** A source object (a HelmRepository) of the repository by namespace and name. */
  source?(kind: 'HelmRepository', namespace: string, name: string): JsonObject | undefined;
  /** A ConfigMap or Secret of the repository (or the same file) by namespace and name. */
  lookup(kind: 'ConfigMap' | 'Secret', namespace: string, name: string): JsonObject | undefined;
}

export function isHelmRelease(v: JsonValue): v is JsonObject {
  return isObject(v) && v.kind === 'HelmRelease' && typeof v.apiVersion === 'string' && v.apiVersion.startsWith('helm.toolkit.fluxcd.io/');
}

/** helm-controller's release name shortening (internal/release/name.go). */
function shortenName(name: string): string {
  if (name.length <= 53) return name;
  return `${name.slice(0, 40)}-${createHash('sha256').update(name).digest('hex').slice(0, 12)}`;
}

const obj = (v: JsonValue | undefined): JsonObject => (isObject(v) ? v : {});
const str = (v: JsonValue | undefined): string => (typeof v === 'string' ? v : '');

/** The plan, or why it cannot be made (each reason in words a user can act on). */
export function planHelmRelease(hr: JsonObject, ctx: PlanContext): HelmReleasePlan | { error: string } {
  const md = obj(hr.metadata);
  const spec = obj(hr.spec);
  const name = str(md.name);
  const ns = str(md.namespace) || 'default';
  const target = str(spec.targetNamespace);
  if (isObject(spec.chartRef)) return { error: `HelmRelease ${name}: spec.chartRef (${str(spec.chartRef.kind)} ${str(spec.chartRef.name)}) is not rendered yet; only a chart at a path of this repository (spec.chart.spec with a GitRepository source) is` };
  const chartSpec = obj(obj(spec.chart).spec);
  const source = obj(chartSpec.sourceRef);
  const chart = chartFolder(name, ns, chartSpec, source, ctx);
  if ('error' in chart) return chart;
  const values = chartValues(name, ns, obj(spec.values), Array.isArray(spec.valuesFrom) ? spec.valuesFrom : [], ctx);
  if ('error' in values) return values;
  return {
    name,
    releaseName: shortenName(str(spec.releaseName) || (target ? `${target}-${name}` : name)),
    namespace: target || ns,
    chart: chart.dir,
    values: values.values,
    includeCrds: str(obj(spec.install).crds) !== 'Skip',
    skipTests: obj(spec.test).enable !== true,
    noHooks: obj(spec.install).disableHooks === true,
    postRenderers: Array.isArray(spec.postRenderers) ? spec.postRenderers : [],
  };
}

/** The chart: a path of this repository (GitRepository), or pulled from the HelmRepository the source names. */
function chartFolder(name: string, ns: string, chartSpec: JsonObject, source: JsonObject, ctx: PlanContext): { dir: string } | { error: string } {
  const kind = str(source.kind);
  if (kind === 'HelmRepository') {
    const repoNs = str(source.namespace) || ns;
    const repo = ctx.source?.('HelmRepository', repoNs, str(source.name));
    if (!repo) return { error: `HelmRelease ${name}: HelmRepository ${repoNs}/${str(source.name)} is not in this repository` };
    const url = str(obj(repo.spec).url);
    if (!ctx.pullChart) return { error: `HelmRelease ${name}: chart ${str(chartSpec.chart)} from ${url} is not fetched: remote fetching is off (--enable-remote fetches it)` };
    const pulled = ctx.pullChart({ repoURL: url, chart: str(chartSpec.chart), version: str(chartSpec.version) });
    return 'error' in pulled ? { error: `HelmRelease ${name}: ${pulled.error}` } : pulled;
  }
  if (kind !== 'GitRepository') return { error: `HelmRelease ${name}: the chart comes from a ${kind || 'missing'} source; a chart at a path of this repository (a GitRepository source) or from a HelmRepository is rendered` };
  const chartPath = str(chartSpec.chart).replace(/^\.\//, '');
  const dir = join(ctx.repoRoot, chartPath);
  if (!chartPath || !ctx.exists(`${dir}/Chart.yaml`)) return { error: `HelmRelease ${name}: no chart at ${chartPath || '(empty spec.chart.spec.chart)'} in this repository (GitRepository ${str(source.name)})` };
  return { dir };
}

/** fluxcd/pkg chartutil.ChartValuesFromReferences: valuesFrom in order, then spec.values over them. */
function chartValues(name: string, ns: string, inline: JsonObject, refs: JsonValue[], ctx: PlanContext): { values: JsonObject } | { error: string } {
  let result: JsonObject = {};
  for (const r of refs) {
    const ref = obj(r);
    const kind = str(ref.kind);
    const refName = str(ref.name);
    const key = str(ref.valuesKey) || 'values.yaml';
    const where = `HelmRelease ${name}: valuesFrom ${kind} ${ns}/${refName}`;
    if (kind !== 'ConfigMap' && kind !== 'Secret') return { error: `${where}: unsupported kind` };
    const found = ctx.lookup(kind, ns, refName);
    const data = found ? dataOf(found)[key] : undefined;
    if (typeof data !== 'string') {
      if (ref.optional === true) continue;
      return { error: `${where}: ${found ? `no key '${key}'` : 'not found in this repository'}` };
    }
    if (str(ref.targetPath)) {
      result = structuredClone(mergeMaps(result, inline));
      setPath(result, str(ref.targetPath), ref.literal === true ? data : typedValue(data));
      continue;
    }
    let parsed: unknown;
    try { parsed = parseYaml(data); } catch (e) { return { error: `${where}: ${key} is not YAML: ${(e as Error).message}` }; }
    if (parsed !== null && parsed !== undefined && !isObject(parsed as JsonValue)) return { error: `${where}: ${key} is not a map of values` };
    result = mergeMaps(result, obj(parsed as JsonValue));
  }
  return { values: mergeMaps(result, inline) };
}

/** A ConfigMap's data, or a Secret's (data decoded, stringData over it). */
export function dataOf(o: JsonObject): Record<string, string> {
  const secret = o.kind === 'Secret';
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(o.data))) if (typeof v === 'string') out[k] = secret ? Buffer.from(v, 'base64').toString('utf8') : v;
  if (secret) for (const [k, v] of Object.entries(obj(o.stringData))) if (typeof v === 'string') out[k] = v;
  return out;
}

/** helm's values merge (MergeMaps): maps merge key by key, anything else is replaced. */
function mergeMaps(a: JsonObject, b: JsonObject): JsonObject {
  const out: JsonObject = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = isObject(v) && isObject(prev) ? mergeMaps(prev, v) : v;
  }
  return out;
}

/** A value as helm's strvals types one given on --set: true/false, null, integers; else the string. */
function typedValue(s: string): JsonValue {
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (s === 'null') return null;
  if (/^[-+]?(0|[1-9][0-9]*)$/.test(s) && Number.isSafeInteger(Number(s))) return Number(s);
  return s;
}

/** Sets a dotted path (`a.b.c`, `\.` for a dot in a key), creating maps on the way. */
function setPath(o: JsonObject, dotted: string, value: JsonValue): void {
  const keys = dotted.split(/(?<!\\)\./).map((k) => k.replace(/\\\./g, '.'));
  let at = o;
  for (const k of keys.slice(0, -1)) {
    if (!isObject(at[k])) at[k] = {};
    at = at[k] as JsonObject;
  }
  at[keys[keys.length - 1]!] = value;
}
