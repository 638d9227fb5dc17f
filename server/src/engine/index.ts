// The engine's front door: build(host, dir, options) -> resources with origins, or a KustomizeError
// that says which file and line caused it. Pure: files come only through the FileHost.

import { contentHash } from './hash';
import type { FileHost } from './host';
import { fixNameReferences } from './filters/nameref';
import { resolveVars } from './filters/vars';
import { applyLabels } from './filters/labels';
import { normalize, relative } from './path';
import { KustomizeError, type Resource, type JsonObject, type SourceRef } from './resource';
import { BuildContext, type BuildOptions, type SubRender } from './build-context';
import { KustTarget } from './target';
import { sortResources } from './sort';
import { parseYamlFile, rangeOfPath, toYamlStream, type ParsedFile } from './yamlio';
import { patchPathFor } from './patches';

// Everything code outside the engine uses, from here only (scripts/lint.mjs holds it to that).
export type { BuildOptions, HelmRunner, HelmRequest } from './build-context';
export { MemoryHost, OverlayHost, type FileHost, type FileKind } from './host';
export { isObject, KustomizeError, Resource, type JsonObject, type JsonValue, type MissingInput, type Position, type Range, type SourceRef } from './resource';
export { KUSTOMIZATION_FILE_NAMES, kustomizationProblems } from './kustomization/load';
export { fieldOf, kustomizationFields, kustomizationType, type FieldDoc, type FieldType } from './kustomization/schema';
export type { SelectorSpec } from './kustomization/types';
export { basename, isWithin, join, normalize, relative, resolve } from './path';
export { compileSelector } from './selector';
export { formatOriginPath, parseOriginPath } from './origin-path';
export { resourcesFromFile } from './load';
export { parseYamlFile, rangeOfPath, toYaml, type ParsedFile } from './yamlio';
export { cloneUrl, type RepoSpec } from './repospec';
export type { RemoteSources } from './remote';
import type { RemoteSources } from './remote';

export interface BuildResult {
  resources: Resource[];
  /** With `collectErrors`: every user error met, each with its source (the build went on without that step). */
  errors: KustomizeError[];
  /** How many resources each targeted patch entry selected (for "this patch matches nothing"). */
  selections: { source: SourceRef; kind: 'patch'; matched: number }[];
  /** Deprecation warnings and other non-fatal findings, each with its source. */
  warnings: { message: string; source?: SourceRef }[];
  /** Every file the build read: the inputs whose change invalidates it. */
  files: string[];
}

/**
 * Holds the caches that make re-rendering cheap: parsed files keyed by (path, host version).
 * One Engine per host; builds are synchronous and independent.
 */
export class Engine {
  private parsed = new Map<string, { version: unknown; file: ParsedFile }>();
  private subRenders = new Map<string, SubRender>();

  constructor(readonly host: FileHost) {}

  build(dir: string, options: BuildOptions = {}): BuildResult {
    const root = normalize(dir);
    const ctx = new BuildContext(this.host, options, this.parsed, this.subRenders);
    try {
      return this.run(ctx, root);
    } catch (e) {
      if (!(e instanceof KustomizeError)) throw e;
      // The files read so far tell a caller what to watch to know when to try again.
      e.filesRead = [...ctx.filesRead];
      if (!options.collectErrors) throw e;
      return { resources: [], errors: [...ctx.errors, e], selections: ctx.selections, warnings: ctx.warnings, files: [...ctx.filesRead] };
    }
  }

  /**
   * Where the value at `path` (e.g. `spec.template.spec.containers[0].image`) of a rendered resource
   * was set: the last generator, patch or transformer entry that changed it, else its place in the
   * source document (list items matched by their key field, so reordering merges are followed).
   */
  fieldSource(r: Resource, path: string): SourceRef | undefined {
    const changes = r.fieldOrigins.get(path);
    if (changes?.length) return changes[changes.length - 1]!.source;
    const o = r.origin;
    if (o.generator || o.docIndex === undefined) return o.source;
    let file: ParsedFile;
    try {
      file = this.parsed.get(o.source.file)?.file ?? parseYamlFile(o.source.file, this.host.readFile(o.source.file));
    } catch {
      return o.source;
    }
    const doc = file.documents[o.docIndex];
    if (!doc) return o.source;
    const range = rangeOfPath(file, o.docIndex, patchPathFor(path, r.obj, doc.value));
    return { file: o.source.file, range: range ?? o.source.range };
  }

  private run(ctx: BuildContext, root: string): BuildResult {
    if (this.host.stat(root) !== 'directory') {
      throw new KustomizeError(`must build at directory: not a valid directory: evalsymlink failure on '${root}' : lstat ${root}: no such file or directory`, { file: root });
    }
    const target = new KustTarget(ctx, root);
    const ra = target.accumulate();
    let resources = ra.resources;
    const g = (fn: () => void) => ctx.guard(fn);

    // Steps kustomize takes once, at the top: hash suffixes, name references, vars.
    for (const r of resources) {
      if (r.options.needsHash) {
        r.rememberId();
        const h = contentHash(r.obj);
        r.name = `${r.name}-${h}`;
        r.recordChange('metadata.name', { by: 'hash suffix', source: r.origin.source, value: r.name });
      }
    }
    g(() => fixNameReferences(resources, ra.config.nameReference));
    if (ra.vars.length) g(() => { resolveVars(resources, ra.vars, ra.config.varReference); });
    // kustomize's final clean-up (removing its build annotations) sets every object's annotations
    // anew: values are written as strings, and empty or null annotations disappear.
    for (const r of resources) {
      const meta = r.obj.metadata;
      if (!meta || typeof meta !== 'object' || Array.isArray(meta) || !('annotations' in meta)) continue;
      const ann = meta.annotations;
      if (ann === null || (typeof ann === 'object' && !Array.isArray(ann) && Object.keys(ann).length === 0)) delete meta.annotations;
      else if (ann && typeof ann === 'object' && !Array.isArray(ann)) {
        for (const [key, v] of Object.entries(ann)) if (v !== null && typeof v !== 'string' && typeof v !== 'object') ann[key] = String(v);
      }
    }
    // A field written with a text its type cannot take fails when the object is printed.
    for (const r of resources) for (const e of r.invalidScalars) g(() => { throw e; });
    // Objects marked as local configuration take part in the build but are not printed.
    resources = resources.filter((r) => r.annotations()['config.kubernetes.io/local-config'] !== 'true');

    const k = target.k;
    g(() => { resources = sortResources(resources, k.sortOptions, k.source(['sortOptions'])); });
    const meta = k.buildMetadata ?? [];
    if (meta.includes('managedByLabel')) {
      applyLabels(resources, { 'app.kubernetes.io/managed-by': 'kustomize-(devel)' }, { fieldSpecs: [{ path: 'metadata/labels', create: true }], source: k.source(['buildMetadata']) });
    }
    if (meta.includes('transformerAnnotations')) addTransformerAnnotations(resources, root);
    if (meta.includes('originAnnotations')) addOriginAnnotations(resources, root, ctx.options.remote);
    return { resources, errors: ctx.errors, selections: ctx.selections, warnings: ctx.warnings, files: [...ctx.filesRead] };
  }
}

/** `buildMetadata: [transformerAnnotations]`: `alpha.config.kubernetes.io/transformations`. */
function addTransformerAnnotations(resources: Resource[], root: string): void {
  for (const r of resources) {
    if (!r.transformations.length) continue;
    const text = r.transformations.map((t) => `- configuredIn: ${relative(root, t.configuredIn)}\n  configuredBy:\n    apiVersion: builtin\n    kind: ${t.kind}\n${t.name ? `    name: ${t.name}\n` : ''}`).join('');
    const ann = (r.metadata.annotations ??= {}) as JsonObject;
    ann['alpha.config.kubernetes.io/transformations'] = text;
  }
}

/** `buildMetadata: [originAnnotations]`: `config.kubernetes.io/origin` on each resource (for one from a remote checkout: its path in the repository, the repository and the ref). */
function addOriginAnnotations(resources: Resource[], root: string, remote: RemoteSources | undefined): void {
  for (const r of resources) {
    const o = r.origin;
    const from = remote?.originOf?.(o.source.file, o.via);
    const repo = from ? `repo: ${from.repo}\n${from.ref ? `ref: ${from.ref}\n` : ''}` : '';
    let text: string;
    if (o.generator) {
      const file = o.source.file;
      const rel = from ? from.path : relative(root, file);
      const kind = o.configuredBy?.kind ?? (o.generator === 'configMapGenerator' ? 'ConfigMapGenerator' : o.generator === 'secretGenerator' ? 'SecretGenerator' : 'HelmChartInflationGenerator');
      const name = o.configuredBy?.name ? `  name: ${o.configuredBy.name}\n` : '';
      text = `${repo}configuredIn: ${rel}\nconfiguredBy:\n  apiVersion: builtin\n  kind: ${kind}\n${name}`;
    } else {
      text = `path: ${from ? from.path : relative(root, o.source.file)}\n${repo}`;
    }
    const ann = (r.metadata.annotations ??= {}) as JsonObject;
    ann['config.kubernetes.io/origin'] = text;
  }
}

export function build(host: FileHost, dir: string, options: BuildOptions = {}): BuildResult {
  return new Engine(host).build(dir, options);
}

/** The YAML stream `kustomize build` prints for these resources. */
export function renderYaml(resources: Resource[]): string {
  return toYamlStream(resources.map((r) => r.obj));
}
