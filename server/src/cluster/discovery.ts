// Which REST resource serves an apiVersion + kind, and whether it is namespaced: the API
// server's aggregated discovery (two requests), with the per-group discovery as the fallback.

import type { KubeClient } from './kube';

export interface ResourceInfo {
  group: string;
  version: string;
  kind: string;
  /** The plural REST name. */
  resource: string;
  namespaced: boolean;
  verbs: string[];
}

const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

export class Discovery {
  private byGvk = new Map<string, ResourceInfo>();
  private loadedAt = 0;
  private loading: Promise<void> | undefined;

  constructor(private readonly client: KubeClient, private readonly ttlMs = 5 * 60_000) {}

  /** Forgets what it knows (a CRD was installed, a 404 from a known kind). */
  invalidate(): void {
    this.loadedAt = 0;
  }

  async load(signal?: AbortSignal): Promise<void> {
    if (this.loadedAt && Date.now() - this.loadedAt < this.ttlMs) return;
    this.loading ??= this.fetch(signal).finally(() => { this.loading = undefined; });
    return this.loading;
  }

  private async fetch(signal?: AbortSignal): Promise<void> {
    const map = new Map<string, ResourceInfo>();
    const add = (r: ResourceInfo): void => {
      const k = key(r.group, r.version, r.kind);
      if (!map.has(k)) map.set(k, r);
    };
    let aggregated = true;
    for (const root of ['/api', '/apis']) {
      const body = await this.client.get(root, { accept: AGGREGATED, signal });
      if (body?.kind !== 'APIGroupDiscoveryList') { aggregated = false; break; }
      for (const g of body.items ?? []) {
        const group = g.metadata?.name ?? '';
        for (const v of g.versions ?? []) {
          for (const r of v.resources ?? []) {
            const kind = r.responseKind?.kind;
            if (!kind || String(r.resource).includes('/')) continue;
            add({ group, version: v.version, kind, resource: r.resource, namespaced: r.scope === 'Namespaced', verbs: r.verbs ?? [] });
          }
        }
      }
    }
    if (!aggregated) {
      const versions: string[] = [];
      const core = await this.client.get('/api', { signal });
      for (const v of core.versions ?? []) versions.push(`/api/${v}`);
      const groups = await this.client.get('/apis', { signal });
      for (const g of groups.groups ?? []) for (const v of g.versions ?? []) versions.push(`/apis/${v.groupVersion}`);
      const lists = await Promise.all(versions.map((p) => this.client.get(p, { signal }).catch(() => undefined)));
      lists.forEach((l, i) => {
        if (!l) return;
        const gv = versions[i]!.replace(/^\/apis?\//, '');
        const [group, version] = gv.includes('/') ? gv.split('/') as [string, string] : ['', gv];
        for (const r of l.resources ?? []) {
          if (String(r.name).includes('/')) continue;
          add({ group, version, kind: r.kind, resource: r.name, namespaced: !!r.namespaced, verbs: r.verbs ?? [] });
        }
      });
    }
    this.byGvk = map;
    this.loadedAt = Date.now();
  }

  /** The resource for apiVersion + kind, or undefined when the cluster does not serve it (a CRD not installed). */
  async resolve(apiVersion: string, kind: string, signal?: AbortSignal): Promise<ResourceInfo | undefined> {
    await this.load(signal);
    const [group, version] = groupAndVersion(apiVersion);
    const hit = this.byGvk.get(key(group, version, kind));
    if (hit) return hit;
    // Maybe a CRD installed since: look once more, at most every 10 s.
    if (Date.now() - this.loadedAt > 10_000) {
      this.invalidate();
      await this.load(signal);
      return this.byGvk.get(key(group, version, kind));
    }
    return undefined;
  }

  /** Synchronous lookup after load(). */
  lookup(apiVersion: string, kind: string): ResourceInfo | undefined {
    const [group, version] = groupAndVersion(apiVersion);
    return this.byGvk.get(key(group, version, kind));
  }

  /** Any served version of group + kind (for inventory entries that carry no version). */
  lookupGroupKind(group: string, kind: string): ResourceInfo | undefined {
    for (const r of this.byGvk.values()) if (r.group === group && r.kind === kind) return r;
    return undefined;
  }
}

function key(group: string, version: string, kind: string): string {
  return `${group}/${version}/${kind}`;
}

export function groupAndVersion(apiVersion: string): [string, string] {
  const i = apiVersion.indexOf('/');
  return i < 0 ? ['', apiVersion] : [apiVersion.slice(0, i), apiVersion.slice(i + 1)];
}

/** REST path of a collection or object. */
export function resourcePath(r: ResourceInfo, namespace?: string, name?: string): string {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const ns = r.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${r.resource}${name ? `/${encodeURIComponent(name)}` : ''}`;
}
