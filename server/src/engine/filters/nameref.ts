// Name-reference fix-ups: after prefixes, suffixes and content hashes renamed objects, every field
// that names one of them (a Deployment's configMapRef, a RoleBinding's subjects, ...) is updated to
// the new name. Which fields refer to which kinds is the nameReference table of the transformer
// config; how a referral is chosen among candidates follows kustomize's nameref filter.

import type { NameBackReference } from '../k8s/transformer-config';
import { currentId, effectiveNamespace, isClusterScoped, originalId } from '../resid';
import { isObject, KustomizeError, type JsonObject, type JsonValue, type Resource, type SourceRef } from '../resource';
import { resIdString, walkFieldSpec } from './fieldspec';

interface GvkSel { group?: string; version?: string; kind?: string }

function selected(id: { group: string; version: string; kind: string }, sel: GvkSel): boolean {
  return (!sel.group || id.group === sel.group) && (!sel.version || id.version === sel.version) && (!sel.kind || id.kind === sel.kind);
}

function prevIds(r: Resource) {
  const g = r.gvk;
  return r.previousIds.map((p) => ({ group: g.group, version: g.version, kind: p.kind, name: p.name, namespace: p.namespace }));
}

function sameEnding(a: string[], b: string[]): boolean {
  let short = a, long = b;
  if (short.length > long.length) [short, long] = [long, short];
  const diff = long.length - short.length;
  if (short.length === 0) return diff === 0;
  for (let i = short.length - 1; i >= 0; i--) if (long[i + diff] !== short[i]) return false;
  return true;
}

function affixesEqual(r: Resource, o: Resource, allowEmpty: boolean): boolean {
  if (allowEmpty) {
    const p = r.prefixes.length === 0 || o.prefixes.length === 0 || sameEnding(r.prefixes, o.prefixes);
    const s = r.suffixes.length === 0 || o.suffixes.length === 0 || sameEnding(r.suffixes, o.suffixes);
    return p && s;
  }
  return sameEnding(r.prefixes, o.prefixes) && sameEnding(r.suffixes, o.suffixes);
}

function roleBindingNamespaces(r: Resource): Set<string> {
  const out = new Set<string>();
  if (r.kind !== 'RoleBinding' || !Array.isArray(r.obj.subjects)) return out;
  for (const s of r.obj.subjects) {
    if (!isObject(s) || !('namespace' in s) || !('kind' in s)) continue;
    if (s.kind === 'ServiceAccount') {
      if (typeof s.namespace !== 'string') throw new KustomizeError(`Invalid Input: namespace is blank for resource "${resIdString(r)}"`, r.origin.source);
      out.add(s.namespace);
    }
  }
  return out;
}

/** The resources a referrer may point at: same namespace, cluster-scoped, or a RoleBinding subject's namespace. */
class Candidates {
  private byKey = new Map<string, CandidateSet>();
  private readonly index = new Map<Resource, { cluster: boolean; ns: string; nsName: string }>();

  constructor(private readonly all: Resource[]) {
    for (const t of all) {
      const id = currentId(t);
      this.index.set(t, { cluster: isClusterScoped(id), ns: effectiveNamespace(id), nsName: t.namespace });
    }
  }

  for(referrer: Resource): CandidateSet {
    const rid = currentId(referrer);
    const cluster = isClusterScoped(rid);
    const rbNs = cluster ? new Set<string>() : roleBindingNamespaces(referrer);
    const rns = effectiveNamespace(rid);
    // Referrers in the same namespace (and with the same RoleBinding subjects) share one set.
    const key = cluster ? '*' : `${rns}\u0000${[...rbNs].sort().join('\u0000')}`;
    let set = this.byKey.get(key);
    if (!set) {
      const list = cluster ? this.all : this.all.filter((t) => {
        const x = this.index.get(t)!;
        return x.cluster || x.ns === rns || rbNs.has(x.nsName);
      });
      set = new CandidateSet(list);
      this.byKey.set(key, set);
    }
    return set;
  }
}

/** A candidate list, indexed by the names its members had before they were renamed. */
class CandidateSet {
  private byPrevName = new Map<string, Resource[]>();

  constructor(readonly list: Resource[]) {
    for (const r of list) {
      for (const name of new Set(r.previousIds.map((p) => p.name))) {
        const l = this.byPrevName.get(name);
        if (l) l.push(r); else this.byPrevName.set(name, [r]);
      }
    }
  }

  /** Members that once had this name, in list order. */
  named(name: string): Resource[] {
    return this.byPrevName.get(name) ?? [];
  }
}

class Referral {
  constructor(private referrer: Resource, private path: string, private target: GvkSel, private candidates: CandidateSet) {}

  private roleRefFilter(): (r: Resource) => boolean {
    if (!this.path.endsWith('roleRef/name')) return () => true;
    const roleRef = this.referrer.obj.roleRef;
    if (!isObject(roleRef) || typeof roleRef.apiGroup !== 'string' || typeof roleRef.kind !== 'string') return () => true;
    const sel = { group: roleRef.apiGroup, kind: roleRef.kind };
    return (r) => prevIds(r).some((id) => selected(id, sel));
  }

  private sameNamespace(): (r: Resource) => boolean {
    const rid = currentId(this.referrer);
    if (isClusterScoped(rid)) return () => true;
    return (r) => {
      const id = currentId(r);
      return isClusterScoped(id) || r.kind === 'ServiceAccount' || effectiveNamespace(id) === effectiveNamespace(rid);
    };
  }

  /** The object the last fixed reference points at. */
  lastReferral: Resource | undefined;

  select(oldName: string, candidates: Resource[], identical: (rs: Resource[]) => boolean): Resource | undefined {
    const r = this.choose(oldName, candidates, identical);
    if (r) this.lastReferral = r;
    return r;
  }

  private choose(oldName: string, candidates: Resource[], identical: (rs: Resource[]) => boolean): Resource | undefined {
    let c = candidates.filter((r) => r.previousIds.some((id) => id.name === oldName));
    c = c.filter((r) => prevIds(r).some((id) => selected(id, this.target)));
    c = c.filter(this.roleRefFilter());
    c = c.filter(this.sameNamespace());
    if (c.length === 1) return c[0];
    c = c.filter((r) => affixesEqual(r, this.referrer, true));
    if (c.length > 1) c = c.filter((r) => affixesEqual(r, this.referrer, false));
    if (c.length === 1) return c[0];
    if (c.length === 0) return undefined;
    if (identical(c)) return c[0];
    throw new KustomizeError(`found multiple possible referrals: ${c.map((r) => resIdString(r)).join(', ')}`, this.referrer.origin.source);
  }

  setScalar(v: string): string | undefined {
    const r = this.select(v, this.candidates.named(v), (rs) => rs.every((x) => x.name === rs[0]!.name));
    if (!r || r.name === v) return undefined;
    return r.name;
  }

  setMapping(node: JsonObject): boolean {
    if (!('name' in node)) throw new KustomizeError('path config error; no \'name\' field in node', this.referrer.origin.source);
    const oldName = String(node.name ?? '');
    // Only members that once had this name can be chosen, so filtering them first changes nothing.
    let candidates = this.candidates.named(oldName);
    if ('namespace' in node) {
      const ns = String(node.namespace ?? '');
      const all = this.candidates.list;
      const byOrg = all.filter((r) => effectiveNamespace(originalId(r)) === ns);
      const inNs = byOrg.length ? byOrg : all.filter((r) => effectiveNamespace(currentId(r)) === ns);
      const keep = new Set(inNs);
      candidates = candidates.filter((r) => keep.has(r));
    }
    const r = this.select(oldName, candidates, (rs) => rs.every((x) => x.name === rs[0]!.name && x.namespace === rs[0]!.namespace));
    if (!r) return false;
    if (r.name === oldName && r.namespace === '') return false;
    node.name = r.name;
    if (r.namespace !== '') node.namespace = r.namespace;
    return true;
  }

  apply(v: JsonValue): JsonValue | undefined {
    if (v === null || v === undefined) return undefined;
    if (typeof v === 'string') return this.setScalar(v);
    if (typeof v === 'number' || typeof v === 'boolean') return this.setScalar(String(v));
    if (isObject(v)) { this.setMapping(v); return undefined; }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const x = v[i]!;
        if (isObject(x)) this.setMapping(x);
        else if (typeof x === 'string') { const n = this.setScalar(x); if (n !== undefined) v[i] = n; }
      }
      return undefined;
    }
    return undefined;
  }
}

export function fixNameReferences(resources: Resource[], backRefs: readonly NameBackReference[], source?: SourceRef): void {
  const orgIds = resources.map((r) => originalId(r));
  const work = new Map<Resource, { path: string; target: GvkSel }[]>();
  for (const br of backRefs) {
    for (const spec of br.fieldSpecs) {
      resources.forEach((r, i) => {
        if (!selected(orgIds[i]!, spec)) return;
        const list = work.get(r) ?? [];
        list.push({ path: spec.path, target: { group: br.group, version: br.version, kind: br.kind } });
        work.set(r, list);
      });
    }
  }
  const pool = new Candidates(resources);
  for (const [referrer, list] of work) {
    const candidates = pool.for(referrer);
    for (const w of list) {
      const ref = new Referral(referrer, w.path, w.target, candidates);
      try {
        walkFieldSpec(referrer, { path: w.path }, (hit) => {
          const before = JSON.stringify(hit.value);
          const next = ref.apply(hit.value);
          const after = next === undefined ? JSON.stringify(hit.value) : JSON.stringify(next);
          if (before !== after) {
            // The change comes from whatever renamed the referred object (its generator, namePrefix, ...).
            const renamedBy = ref.lastReferral?.fieldOrigins.get('metadata.name')?.at(-1)?.source;
            referrer.recordChange(hit.path, { by: 'nameReference', source: renamedBy ?? source ?? referrer.origin.source, value: next ?? hit.value });
          }
          return next;
        });
      } catch (e) {
        if (e instanceof KustomizeError) {
          throw new KustomizeError(`updating name reference in '${w.path}' field of '${resIdString(referrer)}': ${e.message}`, e.source ?? referrer.origin.source);
        }
        throw e;
      }
    }
  }
}
