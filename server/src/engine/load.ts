// Loading: the resources of a parsed YAML file, as kustomize reads them (one per document, `List`
// kinds expanded into their items, each object checked for a kind and a name). The first layer
// above the YAML reader; the target, the transformers and the patches all load through it.

import { deepClone, isObject, KustomizeError, Resource, type JsonObject, type JsonValue, type SourceRef } from './resource';
import { scalarFacts as readScalarFacts, type ParsedFile, type ScalarFacts } from './yamlio';

/** The resources of a parsed file; `List` kinds are expanded into their items as kustomize does. */
export function resourcesFromFile(file: ParsedFile, via: string[]): Resource[] {
  const out: Resource[] = [];
  for (const d of file.documents) {
    if (d.value === null) continue;
    const src: SourceRef = { file: file.path, range: d.range };
    // Parsed files are cached and shared between builds: every resource gets its own copy.
    const top = deepClone(d.value);
    const queue: JsonValue[] = [top];
    while (queue.length) {
      const v = queue.shift()!;
      if (!isObject(v)) {
        throw new KustomizeError(`${file.path}: expected a YAML mapping (a Kubernetes object) in document ${d.index + 1}`, src);
      }
      if (Object.keys(v).length === 0) continue;
      const kind = typeof v.kind === 'string' ? v.kind : '';
      if (kind.endsWith('List') && 'items' in v) {
        if (v.items === null) continue;
        if (!Array.isArray(v.items)) throw new KustomizeError(`expected array in ${kind}/items`, src);
        queue.push(...v.items);
        continue;
      }
      validateObject(v, src);
      // How the source wrote its scalars is known by path from the document's root: not for List items.
      let facts: ScalarFacts | undefined;
      const scalarFacts = v === top ? () => (facts ??= readScalarFacts(file, d.index)) : undefined;
      out.push(new Resource(v, { source: src, docIndex: d.index, via: [...via], scalarFacts, rawAnnotations: v === top ? d.rawAnnotations : undefined }));
    }
  }
  return out;
}

function validateObject(v: JsonObject, src: SourceRef): void {
  if (typeof v.kind !== 'string' || v.kind === '') throw new KustomizeError(`missing kind in object ${shortJson(v)}`, src);
  const meta = v.metadata;
  if (!isObject(meta) || typeof meta.name !== 'string' || meta.name === '') {
    if (!v.kind.endsWith('List')) throw new KustomizeError(`missing metadata.name in object ${shortJson(v)}`, src);
  }
}

function shortJson(v: JsonValue): string {
  const s = JSON.stringify(v);
  return s.length > 200 ? s.slice(0, 200) + '…' : s;
}
