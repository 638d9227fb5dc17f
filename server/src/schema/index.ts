// Schemas of rendered objects: which schema applies to an apiVersion/kind, and the problems of an
// object against it, all with one walker (shape.ts: types, required fields, enums, base64, unknown
// fields, as the API server judges them):
//  - built-in kinds: the OpenAPI v3 of a real kube-apiserver;
//  - Flux and Argo CD kinds: the CRDs their releases ship;
//    (both generated into tables by scripts/gen-schema-tables.mjs; versions in generated/versions.ts)
//  - custom resources: the CRDs found in the workspace (their openAPIV3Schema).
//    A workspace CRD wins over a bundled schema of the same kind (it is what the cluster runs).
// Anything else is unchecked, and said so — never reported as valid.
//
// The bundled schemas live in dist/schemas.js (server/src/schema/bundle.ts), loaded on first use.

import { createHash } from 'node:crypto';
import path from 'node:path';
import { isObject, type JsonObject, type JsonValue } from '../engine/index';
import { VERSIONS } from './generated/versions';
import { checkShape, crdShape, internShape, type Shape, type ShapeProblem, type ShapeTable } from './shape';

interface Bundle { SHAPES: ShapeTable }

let bundle: Bundle | undefined;
function loadBundle(): Bundle {
  if (bundle) return bundle;
  // Bundled (dist/server.js): the sibling dist/schemas.js. From sources (tests under tsx): the module.
  const req = require;
  try { bundle = req(path.join(__dirname, 'schemas.js')) as Bundle; } catch { bundle = req('./bundle') as Bundle; }
  return bundle;
}

export interface SchemaInfo {
  /** What checked it: `Kubernetes v1.37.2 (API server OpenAPI)`, `CRD widgets.example.com in crds/widget.yaml`… */
  source: string;
  shape: Shape;
  defs: Shape[];
  check(obj: JsonObject): ShapeProblem[];
}

export interface Crd { group: string; kind: string; version: string; schema: Shape; file: string; name: string }

export const BUILTIN_SOURCE = `Kubernetes ${VERSIONS.kubernetes} (API server OpenAPI)`;

/** What a bundled kind was generated from. */
function bundledSource(apiVersion: string, kind: string): string {
  const slash = apiVersion.indexOf('/');
  const owner = slash > 0 ? (VERSIONS.crds as Record<string, string | undefined>)[`${apiVersion.slice(0, slash)}/${kind}`] : undefined;
  if (!owner) return BUILTIN_SOURCE;
  if (owner === 'argo-cd') return `Argo CD ${VERSIONS.argoCd} CRD`;
  return `Flux ${VERSIONS.flux} CRD (${owner} ${(VERSIONS.fluxControllers as Record<string, string | undefined>)[owner] ?? '?'})`;
}

/**
 * One shape per distinct schema text: repositories keep the same CRD in several places (a chart, a
 * kustomize base, a release bundle), and one large CRD's shape is megabytes. A shape is shared while
 * some CRD holds it (weakly referenced here).
 */
const shapes = new Map<string, WeakRef<Shape>>();
const forget = new FinalizationRegistry<string>((key) => { if (!shapes.get(key)?.deref()) shapes.delete(key); });

function sharedShape(schema: JsonObject): Shape {
  const key = createHash('sha1').update(JSON.stringify(schema)).digest('base64');
  const hit = shapes.get(key)?.deref();
  if (hit) return hit;
  // A copy (strings cut from the file, such as names, enum values and descriptions, would otherwise
  // keep its whole text alive), its repeated parts shared with every other CRD's (internShape).
  const shape = internShape(structuredClone(crdShape(schema)));
  shapes.set(key, new WeakRef(shape));
  forget.register(shape, key);
  return shape;
}

/** CRDs in a parsed YAML document (apiextensions.k8s.io/v1, every served version with a schema). */
export function crdsOf(doc: JsonValue, file: string): Crd[] {
  if (!isObject(doc) || doc.kind !== 'CustomResourceDefinition' || !isObject(doc.spec)) return [];
  const spec = doc.spec;
  const names = isObject(spec.names) ? spec.names : {};
  const group = typeof spec.group === 'string' ? spec.group : '';
  const kind = typeof names.kind === 'string' ? names.kind : '';
  const name = isObject(doc.metadata) && typeof doc.metadata.name === 'string' ? doc.metadata.name : `${names.plural}.${group}`;
  const out: Crd[] = [];
  if (!kind || !group) return out;
  for (const v of Array.isArray(spec.versions) ? spec.versions : []) {
    if (!isObject(v) || typeof v.name !== 'string') continue;
    const s = isObject(v.schema) ? v.schema.openAPIV3Schema : isObject(spec.validation) ? spec.validation.openAPIV3Schema : undefined;
    if (!isObject(s)) continue;
    // Copies of the strings: cut from the file's text, they would keep all of it alive.
    const own = structuredClone({ group, kind, version: v.name, name });
    out.push({ ...own, schema: sharedShape(s), file });
  }
  return out;
}

export class SchemaRegistry {
  /** group/version/kind → every workspace CRD that defines it (a repository may hold an old release's CRDs beside the current ones). */
  private crds = new Map<string, Crd[]>();
  private cache = new Map<string, SchemaInfo | null>();
  private crdFiles = new Map<string, string[]>();

  /** Replaces the CRDs found in `file`. */
  setCrds(file: string, crds: Crd[]): boolean {
    const before = this.crdFiles.get(file) ?? [];
    for (const k of before) {
      const rest = (this.crds.get(k) ?? []).filter((c) => c.file !== file);
      if (rest.length) this.crds.set(k, rest); else this.crds.delete(k);
    }
    const keys = crds.map((c) => `${c.group}/${c.version}/${c.kind}`);
    for (let i = 0; i < crds.length; i++) {
      const list = this.crds.get(keys[i]!) ?? [];
      list.push(crds[i]!);
      // In path order, whatever order the files were read in: the same workspace always checks the same way.
      list.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
      this.crds.set(keys[i]!, list);
    }
    if (keys.length) this.crdFiles.set(file, keys); else this.crdFiles.delete(file);
    const changed = before.length > 0 || keys.length > 0;
    if (changed) this.cache.clear();
    return changed;
  }

  crdCount(): number { return this.crds.size; }

  lookup(apiVersion: string, kind: string): SchemaInfo | undefined {
    const key = `${apiVersion}/${kind}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit ?? undefined;
    const info = this.find(apiVersion, kind);
    this.cache.set(key, info ?? null);
    return info;
  }

  private find(apiVersion: string, kind: string): SchemaInfo | undefined {
    const crds = this.crds.get(`${apiVersion}/${kind}`);
    // A custom resource's metadata refers to the bundled ObjectMeta.
    const defs = loadBundle().SHAPES.defs;
    if (crds?.length) {
      const [first, ...others] = crds as [Crd, ...Crd[]];
      const source = `CRD ${first.name} in ${path.basename(first.file)}${others.length ? ` (and ${others.length} other definition${others.length > 1 ? 's' : ''} in the workspace)` : ''}`;
      // Copies of one CRD share a shape (sharedShape): only the distinct ones are checked.
      const distinct = [...new Set(others.map((c) => c.schema))].filter((x) => x !== first.schema);
      if (!distinct.length) return { source, shape: first.schema, defs, check: (obj) => checkShape(obj, first.schema, defs) };
      // Several definitions of one kind (a release bundle beside the current CRDs): which one the
      // cluster runs is not known here, so a problem counts only when every definition has it.
      return {
        source, shape: first.schema, defs,
        check(obj) {
          const key = (p: ShapeProblem) => `${p.kind}|${p.path.join('\u0000')}|${p.message}`;
          let common = checkShape(obj, first.schema, defs);
          for (const other of distinct) {
            if (!common.length) break;
            const there = new Set(checkShape(obj, other, defs).map(key));
            common = common.filter((p) => there.has(key(p)));
          }
          return common;
        },
      };
    }
    const shape = loadBundle().SHAPES.kinds[`${apiVersion}/${kind}`];
    if (!shape) return undefined;
    return { source: bundledSource(apiVersion, kind), shape, defs, check: (obj) => checkShape(obj, shape, defs) };
  }
}
