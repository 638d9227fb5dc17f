// `gitops-lens render FILE`: each Flux HelmRelease of the file planned as helm-controller would
// (helmrelease.ts), each Helm source of an Argo CD Application as its repo-server would
// (argocd/helm-source.ts), rendered by the real helm; a HelmRelease's postRenderers (kustomize
// patches and images) then applied by the engine, as helm-controller's kustomize post-renderer.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { Engine, isObject, type JsonObject, type JsonValue, KustomizeError, MemoryHost, parseYamlFile, toYaml } from '../engine/index';
import { findGitRoot } from '../git-root';
import { isApplication, planHelmSources } from '../argocd/helm-source';
import { pullChart, type ChartRef } from '../remote/charts';
import { isHelmRelease, planHelmRelease, type HelmReleasePlan } from './helmrelease';
import { RepositoryObjects } from './repository';

/** `remote`: charts of Helm repositories are pulled (into the remote cache) when true. */
export interface RenderOptions { helm: string; kubeVersion?: string; remote?: boolean }

/** The YAML of what the HelmReleases and Argo CD Helm sources in `file` deploy, or the first error. */
export function renderAgentFile(file: string, opts: RenderOptions): { yaml: string } | { error: string } {
  const docs = documentsOf(file);
  const releases = docs.filter(isHelmRelease);
  const apps = docs.filter(isApplication);
  const repoRoot = findGitRoot(path.dirname(file), (p) => fs.existsSync(p)) ?? path.dirname(file);
  const out: string[] = [];
  for (const app of apps) {
    const plans = planHelmSources(app, { repoRoot, exists: (p) => fs.existsSync(p), ...(opts.remote ? { pullChart: (ref: ChartRef) => pullChart(ref, opts.helm) } : {}) });
    if (!plans.length) return { error: `${file}: Application ${String(isObject(app.metadata) ? app.metadata.name : '')} has no Helm source at a path of this repository (its kustomize and directory sources render with build)` };
    for (const plan of plans) {
      if ('error' in plan) return plan;
      const r = runHelm(plan.chart, undefined, plan.args, plan.extraValues, opts, `Application ${plan.app}`);
      if ('error' in r) return r;
      out.push(r.objects.map((o) => toYaml(o)).join('---\n'));
    }
  }
  if (!releases.length && !apps.length) return { error: `${file}: no Flux HelmRelease or Argo CD Application in this file` };
  const objects = new RepositoryObjects(repoRoot, docs, ['ConfigMap', 'Secret', 'HelmRepository']);
  const lookup = (kind: 'ConfigMap' | 'Secret' | 'HelmRepository', ns: string, name: string) => objects.find(kind, ns, name);
  for (const hr of releases) {
    const plan = planHelmRelease(hr, { repoRoot, exists: (p) => fs.existsSync(p), lookup, source: lookup, ...(opts.remote ? { pullChart: (ref: ChartRef) => pullChart(ref, opts.helm) } : {}) });
    if ('error' in plan) return plan;
    const r = helmTemplate(plan, opts);
    if ('error' in r) return r;
    out.push(r.yaml);
  }
  return { yaml: out.filter(Boolean).join('---\n') };
}

function documentsOf(file: string): JsonValue[] {
  return parseYamlFile(file, fs.readFileSync(file, 'utf8')).documents.map((d) => d.value);
}

function helmTemplate(plan: HelmReleasePlan, opts: RenderOptions): { yaml: string } | { error: string } {
  const args = ['--namespace', plan.namespace];
  if (plan.includeCrds) args.push('--include-crds');
  if (plan.skipTests) args.push('--skip-tests');
  if (plan.noHooks) args.push('--no-hooks');
  const r = runHelm(plan.chart, plan.releaseName, args, stringify(plan.values), opts, `HelmRelease ${plan.name}`);
  if ('error' in r) return r;
  try {
    return { yaml: postRender(plan, r.objects) };
  } catch (e) {
    if (e instanceof KustomizeError) return { error: `HelmRelease ${plan.name}: postRenderers: ${e.message}` };
    throw e;
  }
}

/** `helm template [RELEASE] CHART ARGS` (`values` written to a file and given last), its objects in helm's order. */
function runHelm(chart: string, release: string | undefined, args: string[], values: string | undefined, opts: RenderOptions, what: string): { objects: JsonObject[] } | { error: string } {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-lens-helm-'));
  try {
    const all = ['template', ...(release ? [release] : []), chart, ...args];
    if (values) { fs.writeFileSync(path.join(tmp, 'values.yaml'), values); all.push('--values', path.join(tmp, 'values.yaml')); }
    if (opts.kubeVersion) all.push('--kube-version', opts.kubeVersion);
    const r = spawnSync(opts.helm, all, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (r.error) return { error: `${what}: helm: ${r.error.message}` };
    if (r.status !== 0) return { error: `${what}: helm template: ${r.stderr.trim()}` };
    return { objects: parseYamlFile(`${chart}/<helm template>`, r.stdout).documents.map((d) => d.value).filter(isObject) };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** spec.postRenderers[].kustomize (patches, images) applied to helm's objects by the engine. */
function postRender(plan: HelmReleasePlan, objects: JsonObject[]): string {
  const kustomize = plan.postRenderers.map((p) => (isObject(p) && isObject(p.kustomize) ? p.kustomize : undefined)).filter((k): k is JsonObject => !!k);
  if (!kustomize.length) return objects.map((o) => toYaml(o)).join('---\n');
  let current = objects;
  for (const k of kustomize) {
    const host = new MemoryHost({ '/hr/helm.yaml': current.map((o) => toYaml(o)).join('---\n'), '/hr/kustomization.yaml': toYaml({ resources: ['helm.yaml'], ...pick(k, ['patches', 'images', 'patchesStrategicMerge', 'patchesJson6902']) }) });
    current = new Engine(host).build('/hr').resources.map((r) => r.obj);
  }
  return current.map((o) => toYaml(o)).join('---\n');
}

function pick(o: JsonObject, keys: string[]): JsonObject {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]!]));
}
