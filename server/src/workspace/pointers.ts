// What a plain YAML file of the workspace tells the model: the Flux Kustomizations and Argo CD
// Applications in it (each points at a folder, which becomes an environment), and the
// CustomResourceDefinitions it declares (schemas for the custom resources rendered elsewhere).

import { isObject, type JsonValue, parseYamlFile, rangeOfPath, type SourceRef } from '../engine/index';
import { crdsOf } from '../schema/index';

export interface PointerObject { kind: 'flux' | 'argocd'; name: string; path: string; source: SourceRef }

export interface YamlFileFacts { pointers: PointerObject[]; crds: ReturnType<typeof crdsOf> }

const NOTHING: YamlFileFacts = { pointers: [], crds: [] };

/** The pointers and CRDs of one file's text; undefined when it does not parse (keep what it had). */
export function readYamlFacts(file: string, text: string): YamlFileFacts | undefined {
  const crd = text.includes('CustomResourceDefinition');
  if (text.length > 4 * 1024 * 1024 || (!crd && !text.includes('kustomize.toolkit.fluxcd.io') && !text.includes('argoproj.io'))) return NOTHING;
  let parsed;
  try { parsed = parseYamlFile(file, text); } catch { return undefined; }
  const pointers: PointerObject[] = [];
  for (const d of parsed.documents) {
    const v = d.value;
    if (!isObject(v) || !isObject(v.spec)) continue;
    const api = typeof v.apiVersion === 'string' ? v.apiVersion : '';
    const name = isObject(v.metadata) && typeof v.metadata.name === 'string' ? v.metadata.name : '';
    const at = (p: (string | number)[]): SourceRef => ({ file, range: rangeOfPath(parsed, d.index, p) ?? d.range });
    if (api.startsWith('kustomize.toolkit.fluxcd.io/') && v.kind === 'Kustomization') {
      pointers.push({ kind: 'flux', name, path: typeof v.spec.path === 'string' ? v.spec.path : '', source: at(['spec', 'path']) });
    } else if (api.startsWith('argoproj.io/') && v.kind === 'Application') {
      const single = isObject(v.spec.source);
      const sources: JsonValue[] = single ? [v.spec.source!] : Array.isArray(v.spec.sources) ? v.spec.sources : [];
      sources.forEach((s, i) => {
        if (!isObject(s) || typeof s.path !== 'string' || s.chart) return;
        pointers.push({ kind: 'argocd', name, path: s.path, source: at(single ? ['spec', 'source', 'path'] : ['spec', 'sources', i, 'path']) });
      });
    }
  }
  return { pointers, crds: crd ? parsed.documents.flatMap((d) => crdsOf(d.value, file)) : [] };
}
