// Generates server/src/engine/k8s/openapi-data.ts from the Kubernetes v1.21.2 OpenAPI definitions
// (the schema kustomize v5.5 uses by default for strategic-merge patches).
//
//   node scripts/gen-openapi-tables.mjs [--out DIR] [path/to/kubernetes-openapi-v1.21.2.json.gz]
//
// The input defaults to ../shared/k8s-openapi/ beside this repository (the machine's shared folder,
// where the conformance cases live too); --out writes openapi-data.ts into DIR instead (the
// freshness test compares that with the committed file).
//
// Only what strategic merge needs is kept: for every definition reachable from a built-in kind, its
// properties' shape (ref, array items, additionalProperties) and the x-kubernetes patch / list
// extensions. Descriptions, formats and validation are dropped.

import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const outDir = outAt >= 0 ? args.splice(outAt, 2)[1] : join(root, 'server/src/engine/k8s');
const input = args[0] ?? join(root, '..', 'shared', 'k8s-openapi', 'kubernetes-openapi-v1.21.2.json.gz');
const output = join(outDir, 'openapi-data.ts');

const doc = JSON.parse(gunzipSync(readFileSync(input)).toString('utf8'));
const defs = doc.definitions;
const REF = '#/definitions/';
const SCALAR_TYPES = new Set(['string', 'integer', 'number', 'boolean']);

/** Compact a schema node: r = $ref target, a = 1 for arrays, i = items, ap = additionalProperties,
 * p = inline properties, mk/ps = patch merge key / strategy, lt/lk = list type / map keys. */
function compact(s, refs) {
  const out = {};
  if (typeof s.$ref === 'string') {
    if (!s.$ref.startsWith(REF)) throw new Error(`unexpected $ref ${s.$ref}`);
    out.r = s.$ref.slice(REF.length);
    refs.add(out.r);
  }
  if (s.type === 'array' || (Array.isArray(s.type) && s.type.length === 1 && s.type[0] === 'array')) out.a = 1;
  if (s.items && typeof s.items === 'object' && !Array.isArray(s.items)) out.i = compact(s.items, refs);
  if (s.additionalProperties && typeof s.additionalProperties === 'object') out.ap = compact(s.additionalProperties, refs);
  if (s.properties) {
    out.p = {};
    for (const k of Object.keys(s.properties).sort()) {
      const c = compact(s.properties[k], refs);
      // A plain scalar field (string, integer, number, boolean with nothing else kept) says nothing
      // strategic merge can use: a scalar patch value replaces the target value whatever its schema.
      if (Object.keys(c).length === 0 && SCALAR_TYPES.has(s.properties[k].type)) continue;
      out.p[k] = c;
    }
  }
  if (s['x-kubernetes-patch-merge-key'] !== undefined) out.mk = s['x-kubernetes-patch-merge-key'];
  if (s['x-kubernetes-patch-strategy'] !== undefined) out.ps = s['x-kubernetes-patch-strategy'];
  if (s['x-kubernetes-list-type'] !== undefined) out.lt = s['x-kubernetes-list-type'];
  if (s['x-kubernetes-list-map-keys'] !== undefined) out.lk = s['x-kubernetes-list-map-keys'];
  return out;
}

// Kinds: kyaml maps apiVersion+kind to a definition through each definition's
// x-kubernetes-group-version-kind; the bundle's resources[] adds the scope.
const kinds = new Map();
for (const name of Object.keys(defs).sort()) {
  for (const g of defs[name]['x-kubernetes-group-version-kind'] ?? []) {
    const apiVersion = g.group ? `${g.group}/${g.version}` : g.version;
    const key = `${apiVersion} ${g.kind}`;
    if (kinds.has(key) && kinds.get(key).def !== name) throw new Error(`two definitions for ${key}`);
    kinds.set(key, { apiVersion, kind: g.kind, def: name, scope: '' });
  }
}
for (const r of doc.resources ?? []) {
  const key = `${r.apiVersion} ${r.kind}`;
  const k = kinds.get(key) ?? { apiVersion: r.apiVersion, kind: r.kind, def: '', scope: '' };
  k.scope = r.scope === 'Cluster' ? 'c' : r.scope === 'Namespaced' ? 'n' : '';
  kinds.set(key, k);
}

// Definitions reachable from a kind.
const table = {};
const queue = [...new Set([...kinds.values()].map((k) => k.def).filter(Boolean))];
while (queue.length) {
  const name = queue.shift();
  if (table[name] || !defs[name]) continue;
  const refs = new Set();
  table[name] = compact(defs[name], refs);
  for (const r of refs) if (!table[r]) queue.push(r);
}
// Refs become indexes into K8S_DEFINITION_NAMES to keep the table small.
const names = Object.keys(table).sort();
const index = new Map(names.map((n, i) => [n, i]));
function renumber(c) {
  if (c.r !== undefined) c.r = index.get(c.r);
  if (c.i) renumber(c.i);
  if (c.ap) renumber(c.ap);
  if (c.p) for (const v of Object.values(c.p)) renumber(v);
}
const list = names.map((n) => { renumber(table[n]); return table[n]; });

const kindRows = [...kinds.values()]
  .sort((a, b) => (a.apiVersion + ' ' + a.kind).localeCompare(b.apiVersion + ' ' + b.kind))
  .map((k) => [k.apiVersion, k.kind, k.def ? index.get(k.def) : -1, k.scope]);

const ts = `// GENERATED by scripts/gen-openapi-tables.mjs — do not edit by hand.
// Source: Kubernetes v1.21.2 OpenAPI definitions as bundled by kustomize (kyaml/openapi, Apache-2.0;
// reference copy /work/shared/k8s-openapi/kubernetes-openapi-v1.21.2.json.gz), the schema kustomize v5.5
// uses by default for strategic-merge patches. Only the shape and x-kubernetes patch/list extensions of
// the definitions reachable from built-in kinds are kept.

/** A compacted schema node (see scripts/gen-openapi-tables.mjs). */
export interface CompactSchema {
  /** $ref target: index in K8S_DEFINITION_NAMES / K8S_DEFINITIONS. */
  r?: number;
  /** 1 when the type is array. */
  a?: 1;
  /** items schema. */
  i?: CompactSchema;
  /** additionalProperties schema. */
  ap?: CompactSchema;
  /** properties. */
  p?: Record<string, CompactSchema>;
  /** x-kubernetes-patch-merge-key. */
  mk?: string;
  /** x-kubernetes-patch-strategy. */
  ps?: string;
  /** x-kubernetes-list-type. */
  lt?: string;
  /** x-kubernetes-list-map-keys. */
  lk?: string[];
}

/** Definition names, sorted; K8S_DEFINITIONS[i] is the schema of K8S_DEFINITION_NAMES[i]. */
export const K8S_DEFINITION_NAMES: string[] = ${JSON.stringify(names)};

export const K8S_DEFINITIONS: CompactSchema[] = ${JSON.stringify(list)};

/** [apiVersion, kind, definition index (-1 if none), scope ('n' namespaced, 'c' cluster, '' unknown)]. */
export const K8S_KINDS: [string, string, number, string][] = ${JSON.stringify(kindRows)};
`;
writeFileSync(output, ts);
console.log(`wrote ${output}: ${names.length} definitions, ${kindRows.length} kinds, ${ts.length} bytes`);
