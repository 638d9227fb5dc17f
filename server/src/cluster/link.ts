// Where a folder deploys: by a setting (folder → context [+ agent]), by Argo CD Applications whose
// source path and repoURL match the folder and the workspace's remote, and by Flux Kustomizations
// whose spec.path and GitRepository URL match. Each link says how it was found.

import path from 'node:path';
import { faultOf, type ClusterFault } from './kube';
import { isObj, type Obj } from './objects';
import type { AgentRef } from './render';
import { getSession, type ClusterSession } from './session';
import { normalizeRepoUrl, readGitInfo } from './git';

export interface EnvironmentLink {
  dir: string;
  context: string;
  kubeconfig?: string;
  agent?: AgentRef;
  foundBy: 'setting' | 'argocd' | 'flux';
  /** In words: "Argo CD Application argocd/web: spec.source.path apps/web, repoURL matches origin". */
  how: string;
}

export interface LinkSetting {
  /** Absolute, or relative to the repository root. */
  dir: string;
  context: string;
  agent?: AgentRef;
}

export interface LinkOptions {
  dirs: string[];
  kubeconfig?: string;
  /** Contexts to search (default: the kubeconfig's current one). */
  contexts?: string[];
  settings?: LinkSetting[];
  /** Default: found from the first dir. */
  repoRoot?: string;
  /** Default: the repository's remotes. Empty list: match paths only. */
  remoteUrls?: string[];
  signal?: AbortSignal;
  /** Sessions to use instead of the shared ones (tests). */
  session?: (context: string) => ClusterSession;
}

export interface LinkResult {
  links: EnvironmentLink[];
  /** Contexts or kinds that could not be searched, and why (unreachable, forbidden, CRD not installed). */
  faults: { context: string; what: string; fault: ClusterFault }[];
}

const norm = (p: string): string => p.replace(/\\/g, '/').replace(/^\.\/?/, '').replace(/\/+$/, '');

export async function linkEnvironments(opts: LinkOptions): Promise<LinkResult> {
  const links: EnvironmentLink[] = [];
  const faults: LinkResult['faults'] = [];
  const dirs = opts.dirs.map((d) => path.resolve(d));
  const git = readGitInfo(opts.repoRoot ?? dirs[0] ?? '.');
  const repoRoot = opts.repoRoot ?? git?.root ?? dirs[0] ?? '.';
  const remotes = (opts.remoteUrls ?? git?.remotes.map((r) => r.url) ?? []).map(normalizeRepoUrl);
  // Without a remote to compare with, a path alone says too little (every repo has ./): match only when told to.
  const pathOnly = opts.remoteUrls !== undefined && opts.remoteUrls.length === 0;
  const remoteMatches = (url: unknown): boolean => typeof url === 'string' && (pathOnly || remotes.includes(normalizeRepoUrl(url)));
  const relOf = (dir: string): string => norm(path.relative(repoRoot, dir)) || '.';

  for (const s of opts.settings ?? []) {
    const dir = path.resolve(repoRoot, s.dir);
    if (!dirs.includes(dir)) continue;
    links.push({ dir, context: s.context, kubeconfig: opts.kubeconfig, agent: s.agent, foundBy: 'setting', how: `setting: ${relOf(dir)} → context ${s.context}${s.agent ? ` (${s.agent.kind === 'flux' ? 'Flux Kustomization' : 'Argo CD Application'} ${s.agent.namespace}/${s.agent.name})` : ''}` });
  }

  let contexts = opts.contexts;
  if (!contexts) {
    try { contexts = [getSession({ kubeconfig: opts.kubeconfig }).context]; } catch (e) { faults.push({ context: '', what: 'kubeconfig', fault: faultOf(e) }); contexts = []; }
  }
  await Promise.all(contexts.map(async (context) => {
    let session: ClusterSession;
    try { session = opts.session?.(context) ?? getSession({ kubeconfig: opts.kubeconfig, context }); } catch (e) { faults.push({ context, what: 'kubeconfig', fault: faultOf(e) }); return; }
    const list = async (what: string, p: string): Promise<Obj[]> => {
      try {
        const res = await session.client.request('GET', p, { signal: opts.signal });
        if (res.status === 404) { faults.push({ context, what, fault: { kind: 'notFound', message: `${what}: CRD not installed`, status: 404 } }); return []; }
        if (res.status !== 200) { faults.push({ context, what, fault: { kind: res.status === 403 ? 'forbidden' : 'server', message: `${what}: ${res.body?.message ?? res.status}`, status: res.status } }); return []; }
        return (res.body.items ?? []).filter(isObj);
      } catch (e) {
        faults.push({ context, what, fault: faultOf(e) });
        return [];
      }
    };
    const [apps, kss, repos] = await Promise.all([
      list('Argo CD Applications', '/apis/argoproj.io/v1alpha1/applications'),
      list('Flux Kustomizations', '/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations'),
      list('Flux GitRepositories', '/apis/source.toolkit.fluxcd.io/v1/gitrepositories'),
    ]);
    for (const app of apps) {
      const md = isObj(app.metadata) ? app.metadata : {};
      const spec = isObj(app.spec) ? app.spec : {};
      const sources = isObj(spec.source) ? [{ s: spec.source, where: 'spec.source' }] : Array.isArray(spec.sources) ? spec.sources.filter(isObj).map((s, i) => ({ s, where: `spec.sources[${i}]` })) : [];
      for (const { s, where } of sources) {
        if (typeof s.path !== 'string' || !remoteMatches(s.repoURL)) continue;
        const dir = dirs.find((d) => relOf(d) === (norm(s.path as string) || '.'));
        if (!dir || links.some((l) => l.dir === dir && l.context === context && l.foundBy === 'setting')) continue;
        links.push({
          dir, context, kubeconfig: opts.kubeconfig, foundBy: 'argocd',
          agent: { kind: 'argocd', namespace: String(md.namespace ?? ''), name: String(md.name ?? '') },
          how: `Argo CD Application ${md.namespace}/${md.name} in context ${context}: ${where}.path ${s.path}, repoURL ${s.repoURL}${remotes.length ? ' matches the workspace remote' : ''}`,
        });
      }
    }
    for (const ks of kss) {
      const md = isObj(ks.metadata) ? ks.metadata : {};
      const spec = isObj(ks.spec) ? ks.spec : {};
      const ref = isObj(spec.sourceRef) ? spec.sourceRef : {};
      if (ref.kind !== 'GitRepository') continue;
      const repoNs = String(ref.namespace ?? md.namespace ?? '');
      const repo = repos.find((r) => isObj(r.metadata) && r.metadata.name === ref.name && r.metadata.namespace === repoNs);
      const url = repo && isObj(repo.spec) ? repo.spec.url : undefined;
      if (!remoteMatches(url)) continue;
      const p = norm(typeof spec.path === 'string' ? spec.path : '') || '.';
      const dir = dirs.find((d) => relOf(d) === p);
      if (!dir || links.some((l) => l.dir === dir && l.context === context && l.foundBy === 'setting')) continue;
      links.push({
        dir, context, kubeconfig: opts.kubeconfig, foundBy: 'flux',
        agent: { kind: 'flux', namespace: String(md.namespace ?? ''), name: String(md.name ?? '') },
        how: `Flux Kustomization ${md.namespace}/${md.name} in context ${context}: spec.path ${spec.path ?? './'}, GitRepository ${repoNs}/${ref.name} ${url}${remotes.length ? ' matches the workspace remote' : ''}`,
      });
    }
  }));
  links.sort((a, b) => (a.dir + a.context + (a.agent?.name ?? '') < b.dir + b.context + (b.agent?.name ?? '') ? -1 : 1));
  return { links, faults };
}
