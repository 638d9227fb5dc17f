// Schema lookup for strategic merge: which lists merge by key, by which keys, and with which strategy.
//
// kustomize (kyaml/openapi) resolves a resource's schema from its apiVersion + kind through the
// definitions' x-kubernetes-group-version-kind, then descends field by field ($ref resolved,
// additionalProperties used for unknown keys of a map) and into array items. By default the
// schema is the Kubernetes v1.21.2 one (generated into ./openapi-data.ts). A kustomization's
// `openapi: {path: file}` REPLACES it for the whole build (a Deployment is then unknown unless the
// file defines it); model that with `OpenApiSchemas.fromDocument` and pass it as `extra`.
//
// `crds:` files do not contribute merge keys: kustomize reads them only for transformer field
// specs (see crdFieldSpecs below).

import { goJsonType, isObject, KustomizeError, type JsonObject, type JsonValue } from '../resource';
import { K8S_DEFINITIONS, K8S_DEFINITION_NAMES, K8S_KINDS, type CompactSchema } from './openapi-data';

/** A position in a schema, to descend while walking a document. */
export interface SchemaNode {
  /** The schema of a map field: its property, else the additionalProperties schema. */
  field(name: string): SchemaNode | undefined;
  /** The schema of the items, when this is an array schema. */
  items(): SchemaNode | undefined;
  /** x-kubernetes-patch-merge-key. */
  readonly mergeKey: string | undefined;
  /** x-kubernetes-patch-strategy as written, e.g. 'merge', 'replace', 'retainKeys', 'merge,retainKeys'. */
  readonly strategy: string | undefined;
  /** x-kubernetes-list-type ('atomic' | 'set' | 'map'). kustomize's merge does not use it. */
  readonly listType: string | undefined;
  /** x-kubernetes-list-map-keys. */
  readonly listMapKeys: string[] | undefined;
  /** The keys kustomize merges list items by: the list-map-keys if any, else the merge key
   * ([] when there is no patch strategy at all, as kyaml reads them only next to a strategy). */
  patchKeys(): string[];
  /** True when the patch strategy includes 'merge': list items are merged (by key, or as a set of
   * primitive values) instead of the patch list replacing the target list. */
  mergesList(): boolean;
  /** The schema set this node belongs to (to look up embedded objects' kinds). */
  readonly schemas: OpenApiSchemas;
}

interface Table {
  names: string[];
  defs: CompactSchema[];
  byKind: Map<string, number>;
  scope: Map<string, string>;
}

class Node implements SchemaNode {
  constructor(private readonly table: Table, private readonly s: CompactSchema, readonly schemas: OpenApiSchemas) {}

  get mergeKey(): string | undefined { return this.s.mk; }
  get strategy(): string | undefined { return this.s.ps; }
  get listType(): string | undefined { return this.s.lt; }
  get listMapKeys(): string[] | undefined { return this.s.lk; }

  field(name: string): SchemaNode | undefined {
    const p = this.s.p && Object.prototype.hasOwnProperty.call(this.s.p, name) ? this.s.p[name] : this.s.ap;
    return p ? this.resolve(p) : undefined;
  }

  items(): SchemaNode | undefined {
    if (!this.s.a || !this.s.i) return undefined;
    return this.resolve(this.s.i);
  }

  patchKeys(): string[] {
    if (this.s.ps === undefined) return [];
    if (this.s.lk) return [...this.s.lk];
    return this.s.mk !== undefined ? [this.s.mk] : [];
  }

  mergesList(): boolean {
    return (this.s.ps ?? '').split(',').includes('merge');
  }

  private resolve(s: CompactSchema): SchemaNode | undefined {
    let cur: CompactSchema | undefined = s;
    for (let guard = 0; cur && cur.r !== undefined; guard++) {
      if (guard > 64) return undefined;
      cur = this.table.defs[cur.r];
    }
    return cur ? new Node(this.table, cur, this.schemas) : undefined;
  }

  /** @internal */
  static root(table: Table, index: number, schemas: OpenApiSchemas): SchemaNode | undefined {
    const d = table.defs[index];
    return d ? new Node(table, d, schemas) : undefined;
  }
}

/** A set of schemas by kind: the built-in Kubernetes one, or a kustomization's custom `openapi:` file. */
export class OpenApiSchemas {
  private constructor(readonly table: Table, readonly description: string) {}

  private static builtinSet: OpenApiSchemas | undefined;

  /** The Kubernetes v1.21.2 schema kustomize uses by default. */
  static builtin(): OpenApiSchemas {
    if (!OpenApiSchemas.builtinSet) {
      const byKind = new Map<string, number>();
      const scope = new Map<string, string>();
      for (const [apiVersion, kind, def, sc] of K8S_KINDS) {
        if (def >= 0) byKind.set(`${apiVersion} ${kind}`, def);
        if (sc) scope.set(`${apiVersion} ${kind}`, sc);
      }
      OpenApiSchemas.builtinSet = new OpenApiSchemas(
        { names: K8S_DEFINITION_NAMES, defs: K8S_DEFINITIONS, byKind, scope }, 'kubernetes v1.21.2');
    }
    return OpenApiSchemas.builtinSet;
  }

  /**
   * A kustomization's `openapi: {path: ...}` document: swagger-like, with `definitions` whose
   * entries may carry `x-kubernetes-group-version-kind: [{group, version, kind}]`. Accepts the parsed
   * document or its text (JSON or YAML). Refs are `#/definitions/<name>` within the same document.
   */
  static fromDocument(doc: JsonValue | string, parse?: (text: string) => unknown, source = 'openapi', base?: OpenApiSchemas): OpenApiSchemas {
    let value: unknown = doc;
    if (typeof doc === 'string') {
      if (!parse) throw new KustomizeError(`invalid schema file ${source}: no parser for text`);
      try { value = parse(doc); } catch (e) { throw new KustomizeError(`invalid schema file: ${(e as Error).message}`); }
    }
    if (!isObject(value)) throw new KustomizeError(`invalid schema file: ${source} is not a map`);
    const definitions = value.definitions;
    if (definitions !== undefined && definitions !== null && !isObject(definitions)) {
      throw new KustomizeError(`invalid schema file: ${source}: definitions is not a map`);
    }
    const own = isObject(definitions) ? Object.keys(definitions).sort() : [];
    // Layered over a base set (kustomize adds a custom schema to definitions it already loaded):
    // the document's definitions win; names it lacks resolve in the base.
    const baseNames = base ? base.table.names.filter((n) => !own.includes(n)) : [];
    const names = [...own, ...baseNames];
    const index = new Map(names.map((n, i) => [n, i]));
    const defs: CompactSchema[] = [];
    const byKind = new Map<string, number>();
    own.forEach((name, i) => {
      const d = isObject(definitions) ? definitions[name] : undefined;
      defs.push(isObject(d) ? compactSchema(d, index) : {});
      const gvks = isObject(d) ? d['x-kubernetes-group-version-kind'] : undefined;
      if (Array.isArray(gvks)) {
        for (const g of gvks) {
          if (!isObject(g) || typeof g.version !== 'string' || typeof g.kind !== 'string') continue;
          const apiVersion = typeof g.group === 'string' && g.group !== '' ? `${g.group}/${g.version}` : g.version;
          byKind.set(`${apiVersion} ${g.kind}`, i);
        }
      }
    });
    if (base) {
      const remap = (c: CompactSchema): CompactSchema => {
        const out: CompactSchema = { ...c };
        if (c.r !== undefined && c.r >= 0) out.r = index.get(base.table.names[c.r]!) ?? -1;
        if (c.i) out.i = remap(c.i);
        if (c.ap) out.ap = remap(c.ap);
        if (c.p) out.p = Object.fromEntries(Object.entries(c.p).map(([k, v]) => [k, remap(v)]));
        return out;
      };
      for (const name of baseNames) defs.push(remap(base.table.defs[base.table.names.indexOf(name)]!));
      for (const [key, i] of base.table.byKind) {
        const name = base.table.names[i]!;
        if (!byKind.has(key) && index.has(name)) byKind.set(key, index.get(name)!);
      }
    }
    return new OpenApiSchemas({ names, defs, byKind, scope: base ? new Map(base.table.scope) : new Map() }, source);
  }

  /** The schema of a kind, or undefined when the set does not know it. */
  forKind(apiVersion: string, kind: string): SchemaNode | undefined {
    const i = this.table.byKind.get(`${apiVersion} ${kind}`);
    return i === undefined ? undefined : Node.root(this.table, i, this);
  }

  /** The schema of a definition by name (e.g. 'io.k8s.api.core.v1.PodSpec'). */
  definition(name: string): SchemaNode | undefined {
    const i = this.table.names.indexOf(name);
    return i < 0 ? undefined : Node.root(this.table, i, this);
  }

  /** 'Namespaced' / 'Cluster' for the built-in kinds the bundled schema scopes; undefined otherwise. */
  scope(apiVersion: string, kind: string): 'Namespaced' | 'Cluster' | undefined {
    const s = this.table.scope.get(`${apiVersion} ${kind}`);
    return s === 'n' ? 'Namespaced' : s === 'c' ? 'Cluster' : undefined;
  }
}

/**
 * The schema kustomize merges a resource of this apiVersion/kind with. With `extra` (a custom
 * `openapi:` schema), that schema is used INSTEAD of the built-in one, as kustomize does.
 */
export function schemaForKind(apiVersion: string, kind: string, extra?: OpenApiSchemas): SchemaNode | undefined {
  return (extra ?? OpenApiSchemas.builtin()).forKind(apiVersion, kind);
}

function compactSchema(s: JsonObject, index: Map<string, number>): CompactSchema {
  const out: CompactSchema = {};
  if (typeof s.$ref === 'string') {
    const m = /^#\/definitions\/(.*)$/.exec(s.$ref);
    // An unresolvable ref leaves no schema (kyaml gives up on the field).
    out.r = m && m[1] !== undefined && index.has(m[1]) ? index.get(m[1]) : -1;
  }
  const t = s.type;
  if (t === 'array' || (Array.isArray(t) && t.length === 1 && t[0] === 'array')) out.a = 1;
  if (isObject(s.items)) out.i = compactSchema(s.items, index);
  if (isObject(s.additionalProperties)) out.ap = compactSchema(s.additionalProperties, index);
  if (isObject(s.properties)) {
    out.p = {};
    for (const [k, v] of Object.entries(s.properties)) if (isObject(v)) out.p[k] = compactSchema(v, index);
  }
  const mk = s['x-kubernetes-patch-merge-key'];
  if (typeof mk === 'string') out.mk = mk;
  const ps = s['x-kubernetes-patch-strategy'];
  if (typeof ps === 'string') out.ps = ps;
  const lt = s['x-kubernetes-list-type'];
  if (typeof lt === 'string') out.lt = lt;
  const lk = s['x-kubernetes-list-map-keys'];
  if (Array.isArray(lk)) out.lk = lk.map((x) => String(x));
  return out;
}

// ---------------------------------------------------------------------------------------------
// crds: — what a kustomization's `crds:` files contribute.
//
// kustomize reads each file as a map of type name → {Schema, Dependencies} (the OpenAPI v2
// "definitions" format of kube-openapi, JSON or YAML), keeps the types that look like Kubernetes
// objects (properties kind, apiVersion and metadata), and walks their properties ($ref followed
// by the ref string as a type name) for these markers, producing transformer field specs for the
// type's Kind (no group or version):
//   x-kubernetes-annotation          → an annotations field spec (commonAnnotations)
//   x-kubernetes-label-selector      → a commonLabels field spec
//   x-kubernetes-identity            → a namePrefix/nameSuffix field spec
//   x-kubernetes-object-ref-api-version + x-kubernetes-object-ref-kind (+ optional
//   x-kubernetes-object-ref-name-key, default "name") → a name reference to that kind/version
// Merge keys in a CRD are NOT used for strategic merge.

interface CrdFieldSpec {
  gvk: { kind: string };
  /** Slash-joined field path. */
  path: string;
  create: false;
}

interface CrdNameReference {
  /** The referenced kind and version (no group). */
  gvk: { kind: string; version: string };
  referrers: CrdFieldSpec[];
}

export interface CrdFieldSpecs {
  annotations: CrdFieldSpec[];
  commonLabels: CrdFieldSpec[];
  /** Fields that get namePrefix / nameSuffix. */
  namePrefix: CrdFieldSpec[];
  nameReference: CrdNameReference[];
}

/**
 * The field specs one `crds:` file contributes. `content` is the parsed file; `path` is used in
 * errors ("unable to parse open API definition from '<path>'").
 */
export function crdFieldSpecs(content: JsonValue, path: string): CrdFieldSpecs {
  const out: CrdFieldSpecs = { annotations: [], commonLabels: [], namePrefix: [], nameReference: [] };
  if (content === null) return out;
  if (!isObject(content)) {
    throw new KustomizeError(`unable to parse open API definition from '${path}': json: cannot unmarshal ${goJsonType(content)} into Go value of type accumulator.nameToApiMap`);
  }
  const apis = new Map<string, JsonObject>();
  for (const [name, v] of Object.entries(content)) {
    if (v === null) { apis.set(name, {}); continue; }
    if (!isObject(v)) {
      throw new KustomizeError(`unable to parse open API definition from '${path}': json: cannot unmarshal ${goJsonType(v)} into Go value of type accumulator.OpenAPIDefinition`);
    }
    // Go's encoding/json matches struct field names case-insensitively.
    const schemaKey = Object.keys(v).find((k) => k.toLowerCase() === 'schema');
    const schema = schemaKey !== undefined ? v[schemaKey] : undefined;
    apis.set(name, isObject(schema) ? schema : {});
  }
  const seen = new Set<string>();
  const add = (list: CrdFieldSpec[], fs: CrdFieldSpec): void => {
    const key = `${list === out.annotations ? 'a' : list === out.commonLabels ? 'l' : 'p'}|${fs.gvk.kind}|${fs.path}`;
    if (seen.has(key)) return;
    seen.add(key);
    list.push(fs);
  };
  const addRef = (gvk: { kind: string; version: string }, fs: CrdFieldSpec): void => {
    let nr = out.nameReference.find((r) => r.gvk.kind === gvk.kind && r.gvk.version === gvk.version);
    if (!nr) { nr = { gvk, referrers: [] }; out.nameReference.push(nr); }
    if (!nr.referrers.some((r) => r.gvk.kind === fs.gvk.kind && r.path === fs.path)) nr.referrers.push(fs);
  };
  const walk = (kind: string, typeName: string, path: string[], depth: number): void => {
    const api = apis.get(typeName);
    if (!api || depth > 32) return;
    const props = isObject(api.properties) ? api.properties : {};
    for (const propName of Object.keys(props).sort()) {
      const prop = props[propName];
      if (!isObject(prop)) continue;
      const here = [...path, propName];
      const fs = (p: string[]): CrdFieldSpec => ({ gvk: { kind }, path: p.join('/'), create: false });
      if (typeof prop['x-kubernetes-annotation'] === 'string') add(out.annotations, fs(here));
      if (typeof prop['x-kubernetes-label-selector'] === 'string') add(out.commonLabels, fs(here));
      if (typeof prop['x-kubernetes-identity'] === 'string') add(out.namePrefix, fs(here));
      const version = prop['x-kubernetes-object-ref-api-version'];
      const refKind = prop['x-kubernetes-object-ref-kind'];
      if (typeof version === 'string' && typeof refKind === 'string') {
        const nameKey = typeof prop['x-kubernetes-object-ref-name-key'] === 'string' ? prop['x-kubernetes-object-ref-name-key'] : 'name';
        addRef({ kind: refKind, version }, fs([...here, nameKey]));
      }
      if (typeof prop.$ref === 'string' && prop.$ref !== '') walk(kind, prop.$ref, here, depth + 1);
    }
  };
  for (const [name, api] of apis) {
    const props = isObject(api.properties) ? api.properties : {};
    if (!('kind' in props && 'apiVersion' in props && 'metadata' in props)) continue;
    const parts = name.split('.');
    walk(parts[parts.length - 1] ?? name, name, [], 0);
  }
  return out;
}
