// Target selection as kustomize's patches and replacements do it: anchored regular expressions on
// group, version, kind, name and namespace (matched against original and current ids), plus
// Kubernetes label and annotation selectors.

import type { SelectorSpec } from './kustomization/types';
import { currentId, effectiveNamespace, originalId } from './resid';
import { KustomizeError, type Resource, type SourceRef } from './resource';
import { compileGoRegexp, type GoRegexp } from './goregexp';

type Requirement = (m: Record<string, string>) => boolean;

/** Parses a Kubernetes label selector: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`. */
export function parseLabelSelector(s: string, source?: SourceRef): Requirement[] {
  const reqs: Requirement[] = [];
  let rest = s.trim();
  while (rest.length) {
    let m: RegExpMatchArray | null;
    if ((m = rest.match(/^([^\s,!=()]+)\s+(in|notin)\s+\(([^)]*)\)\s*(,|$)/))) {
      const key = m[1]!;
      const values = m[3]!.split(',').map((x) => x.trim()).filter((x) => x !== '');
      reqs.push(m[2] === 'in' ? (l) => key in l && values.includes(l[key]!) : (l) => !(key in l) || !values.includes(l[key]!));
    } else if ((m = rest.match(/^([^\s,!=()]+)\s*(==|=|!=)\s*([^\s,!=()]*)\s*(,|$)/))) {
      const key = m[1]!, op = m[2]!, value = m[3]!;
      reqs.push(op === '!=' ? (l) => l[key] !== value : (l) => l[key] === value);
    } else if ((m = rest.match(/^!\s*([^\s,!=()]+)\s*(,|$)/))) {
      const key = m[1]!;
      reqs.push((l) => !(key in l));
    } else if ((m = rest.match(/^([^\s,!=()]+)\s*(,|$)/))) {
      const key = m[1]!;
      reqs.push((l) => key in l);
    } else {
      throw new KustomizeError(`unable to parse requirement: invalid label selector "${s}"`, source);
    }
    rest = rest.slice(m[0].length).trim();
  }
  return reqs;
}

function anchored(pattern: string | undefined, source?: SourceRef): GoRegexp | undefined {
  if (!pattern) return undefined;
  try {
    return compileGoRegexp(`^(?:${pattern})$`);
  } catch (e) {
    throw new KustomizeError((e as Error).message, source);
  }
}

export interface CompiledSelector { matches(r: Resource): boolean }

export function compileSelector(s: SelectorSpec, source?: SourceRef): CompiledSelector {
  const g = anchored(s.group, source);
  const v = anchored(s.version, source);
  const k = anchored(s.kind, source);
  const n = anchored(s.name, source);
  const ns = anchored(s.namespace, source);
  const labels = s.labelSelector ? parseLabelSelector(s.labelSelector, source) : [];
  const annos = s.annotationSelector ? parseLabelSelector(s.annotationSelector, source) : [];
  return {
    matches(r: Resource): boolean {
      const cur = currentId(r);
      const org = originalId(r);
      if (ns && !ns.test(effectiveNamespace(org)) && !ns.test(effectiveNamespace(cur))) return false;
      if (n && !n.test(org.name) && !n.test(cur.name)) return false;
      if (g && !g.test(cur.group)) return false;
      if (v && !v.test(cur.version)) return false;
      if (k && !k.test(cur.kind)) return false;
      if (labels.length) { const l = r.labels(); if (!labels.every((q) => q(l))) return false; }
      if (annos.length) { const a = r.annotations(); if (!annos.every((q) => q(a))) return false; }
      return true;
    },
  };
}
