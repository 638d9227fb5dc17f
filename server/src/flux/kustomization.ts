// `gitops-lens render DIR` of a folder a Flux Kustomization points at: rendered as
// kustomize-controller would apply it (cluster/render.ts renderForAgent: targetNamespace, namePrefix
// and nameSuffix, patches, images, components, commonMetadata, postBuild substitution with
// substitute and substituteFrom, the Flux labels). The Kustomization and the ConfigMaps and Secrets
// it substitutes from are read from the repository, never from a cluster. Several Kustomizations
// pointing at one folder are listed, and `--flux-kustomization NS/NAME` chooses.

import fs from 'node:fs';
import path from 'node:path';
import { isObject, type JsonObject, toYaml } from '../engine/index';
import { findGitRoot } from '../git-root';
import { renderForAgent } from '../cluster/index';
import { DiskHost } from '../workspace/disk-host';
import { dataOf } from './helmrelease';
import { RepositoryObjects } from './repository';

/** Undefined when no Flux Kustomization of the repository points at `dir` (render it as `build` does). */
export async function renderFluxFolder(dir: string, choose?: string): Promise<{ yaml: string } | { error: string } | undefined> {
  const repoRoot = findGitRoot(dir, (p) => fs.existsSync(p)) ?? dir;
  const objects = new RepositoryObjects(repoRoot, [], ['Kustomization', 'ConfigMap', 'Secret']);
  const pointing = objects.all().filter((o) => o.kind === 'Kustomization' && String(o.apiVersion ?? '').startsWith('kustomize.toolkit.fluxcd.io/')
    && isObject(o.spec) && typeof o.spec.path === 'string' && path.resolve(repoRoot, o.spec.path.replace(/^\.\//, '') || '.') === path.resolve(dir));
  if (!pointing.length) return undefined;
  const id = (o: JsonObject) => { const md = isObject(o.metadata) ? o.metadata : {}; return `${String(md.namespace ?? 'default')}/${String(md.name ?? '')}`; };
  const chosen = choose ? pointing.filter((o) => id(o) === choose) : pointing;
  if (chosen.length !== 1) {
    const list = pointing.map(id).join(', ');
    return { error: choose ? `no Flux Kustomization ${choose} points at ${dir} (these do: ${list})` : `${pointing.length} Flux Kustomizations point at ${dir} (${list}): choose one with --flux-kustomization NAMESPACE/NAME` };
  }
  const ks = chosen[0]!;
  const [namespace, name] = id(ks).split('/') as [string, string];
  const readVars = async (kind: 'ConfigMap' | 'Secret', ns: string, n: string): Promise<Record<string, string> | undefined> => {
    const o = objects.find(kind, ns, n);
    return o ? dataOf(o) : undefined;
  };
  try {
    const r = await renderForAgent(new DiskHost(), path.resolve(dir), { agent: { kind: 'flux', namespace, name }, agentObject: ks, readVars });
    return { yaml: r.objects.map((o) => toYaml(o.obj)).join('---\n') };
  } catch (e) {
    return { error: `Flux Kustomization ${namespace}/${name}: ${(e as Error).message}` };
  }
}
