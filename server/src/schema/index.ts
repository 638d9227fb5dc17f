// Schemas of rendered objects: which schema applies to an apiVersion/kind, and the problems of an
// object against it.
//  - built-in kinds: kubernetes-models (Kubernetes 1.27) compiled validators (types, required
//    fields, enums, formats) plus unknown fields from its declarations;
//  - Argo CD and Flux kinds: @kubernetes-models/argo-cd and flux-cd, the same way;
//  - custom resources: the CRDs found in the workspace (their openAPIV3Schema, own small walker).
//    A workspace CRD wins over a bundled schema of the same kind (it is what the cluster runs).
// Anything else is unchecked, and said so — never reported as valid.
//
// The bundled schemas live in dist/schemas.js (server/src/schema/bundle.ts), loaded on first use.

import path from 'node:path';
import { isObject, type JsonObject, type JsonValue } from '../engine/resource';
import { checkShape, fromOpenApiV3, type Shape, type ShapeProblem, type ShapeTable } from './shape';

interface Bundle { SHAPES: ShapeTable; VALIDATORS: Record<string, () => { prototype: { validate(this: unknown): void } }> }

let bundle: Bundle | undefined;
function loadBundle(): Bundle {
  if (bundle) return bundle;
  // Bundled (dist/server.js): the sibling dist/schemas.js. From sources (tests under tsx): the module.
  const req = require;
  try { bundle = req(path.join(__dirname, 'schemas.js')) as Bundle; } catch { bundle = req('./bundle') as Bundle; }
  return bundle;
}

export interface SchemaInfo {
  /** What checked it: `Kubernetes 1.27 (kubernetes-models)`, `CRD widgets.example.com in crds/widget.yaml`… */
  source: string;
  shape: Shape;
  defs: Shape[];
  check(obj: JsonObject): ShapeProblem[];
}

export interface Crd { group: string; kind: string; version: string; schema: Shape; file: string; name: string }

export const BUILTIN_SOURCE = 'Kubernetes 1.27 (kubernetes-models 4.5.1)';

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
    const schema = fromOpenApiV3(s);
    // The API server adds these to every custom resource's schema.
    schema.p = { apiVersion: { t: 'string' }, kind: { t: 'string' }, metadata: { t: 'object', open: 1 }, ...schema.p };
    out.push({ group, kind, version: v.name, schema, file, name });
  }
  return out;
}

export class SchemaRegistry {
  private crds = new Map<string, Crd>();
  private cache = new Map<string, SchemaInfo | null>();
  private crdFiles = new Map<string, string[]>();

  /** Replaces the CRDs found in `file`. */
  setCrds(file: string, crds: Crd[]): boolean {
    const before = this.crdFiles.get(file) ?? [];
    for (const k of before) if (this.crds.get(k)?.file === file) this.crds.delete(k);
    const keys = crds.map((c) => `${c.group}/${c.version}/${c.kind}`);
    for (let i = 0; i < crds.length; i++) this.crds.set(keys[i]!, crds[i]!);
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
    const crd = this.crds.get(`${apiVersion}/${kind}`);
    if (crd) {
      const shape = crd.schema;
      return { source: `CRD ${crd.name} in ${path.basename(crd.file)}`, shape, defs: [], check: (obj) => checkShape(obj, shape, [], false) };
    }
    const b = loadBundle();
    const key = `${apiVersion}/${kind}`;
    const shape = b.SHAPES.kinds[key];
    const model = b.VALIDATORS[key];
    if (!shape || !model) return undefined;
    const source = /\.(fluxcd\.io|argoproj\.io)\//.test(key) ? (key.includes('argoproj') ? 'Argo CD schema (@kubernetes-models/argo-cd 2.7.2)' : 'Flux schema (@kubernetes-models/flux-cd 2.3.4)') : BUILTIN_SOURCE;
    const defs = b.SHAPES.defs;
    return {
      source, shape, defs,
      check(obj) {
        const out: ShapeProblem[] = [];
        try {
          model().prototype.validate.call(obj);
        } catch (e) {
          const errs = (e as { errors?: { instancePath: string; keyword: string; message?: string; params?: Record<string, unknown> }[] }).errors ?? [];
          for (const x of errs) {
            const p = x.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
            let message = x.message ?? x.keyword;
            if (x.keyword === 'required') message = `missing required field "${String(x.params?.missingProperty)}"`;
            else if (x.keyword === 'enum' && Array.isArray(x.params?.allowedValues)) message = `must be one of ${(x.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
            out.push({ path: p, message, kind: x.keyword === 'required' ? 'required' : x.keyword === 'enum' ? 'enum' : 'type' });
          }
        }
        return [...out, ...checkShape(obj, shape, defs, true)];
      },
    };
  }
}
