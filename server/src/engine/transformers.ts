// The builtin transformers of one kustomization, in kustomize's order (kusttarget_configplugin.go):
// patchesStrategicMerge, patches, namespace, namePrefix, nameSuffix, labels + commonLabels,
// commonAnnotations, patchesJson6902, replicas, images, replacements; then the `transformers:`
// entries, which configure the same builtins by kind. Each step is a thin adapter over a filter.

import { applyAnnotations } from './filters/annotations';
import { applyImage } from './filters/images';
import { applyLabels, labelEntryFieldSpecs } from './filters/labels';
import { applyNamespace } from './filters/namespace';
import { applyNamePrefix, applyNameSuffix } from './filters/prefix-suffix';
import { applyReplacements } from './filters/replacements';
import { applyReplicas } from './filters/replicas';
import { parseFieldSpecList, type FieldSpec, type TransformerConfig } from './k8s/transformer-config';
import type { OpenApiSchemas } from './k8s/openapi';
import type { Kustomization } from './kustomization/load';
import type { ImageSpec, PatchSpec } from './kustomization/types';
import { applyPatchEntry, applyPatchesJson6902, applyPatchesStrategicMerge } from './patches';
import { resolve } from './path';
import { isObject, KustomizeError, type JsonObject, type JsonValue, type Resource, type SourceRef } from './resource';
import { resourcesFromFile, type Accumulator, type KustTarget } from './target';
import { parseYamlFile, rangeOfPath, type ParsedFile } from './yamlio';

export interface TransformContext {
  k: Kustomization;
  config: TransformerConfig;
  target: KustTarget;
  loadFile(rel: string, source: SourceRef): string;
  parseFile(rel: string, source: SourceRef): ParsedFile;
  /** Parses a file named relative to the kustomization (load restriction enforced). */
  parseFileOrText(rel: string, source: SourceRef): ParsedFile;
  schemaExtras(): OpenApiSchemas | undefined;
}

export function runTransformers(ra: Accumulator, ctx: TransformContext): void {
  const k = ctx.k;
  const cfg = ra.config;
  const src = (p: (string | number)[]) => k.source(p);
  // Each step is guarded: with collectErrors a failing entry is reported and the others still run.
  const g = (fn: () => void) => ctx.target.ctx.guard(fn);
  // Every builtin that runs is noted on every resource then in the map (kustomize's transformer annotations).
  const ran = (kind: string, configuredIn = k.file, name?: string) => {
    for (const r of ra.resources) r.transformations.push({ configuredIn, kind, name });
  };
  const note = ctx.target.ctx.noteSelection.bind(ctx.target.ctx);

  if (k.patchesStrategicMerge?.length) g(() => {
    ra.resources = applyPatchesStrategicMerge(ra.resources, k.patchesStrategicMerge!, ctx);
    ran('PatchStrategicMergeTransformer');
  });
  (k.patches ?? []).forEach((p, i) => g(() => {
    ra.resources = applyPatchEntry(ra.resources, p, ctx, (q) => src(['patches', i, ...q]), 'patches', (n) => note(src(['patches', i]), 'patch', n));
    ran('PatchTransformer');
  }));
  if (k.namespace) g(() => {
    applyNamespace(ra.resources, { namespace: k.namespace!, fieldSpecs: cfg.namespace, source: src(['namespace']) });
    ran('NamespaceTransformer');
  });
  if (k.namePrefix) g(() => {
    applyNamePrefix(ra.resources, k.namePrefix!, { fieldSpecs: cfg.namePrefix, source: src(['namePrefix']) });
    ran('PrefixTransformer');
  });
  if (k.nameSuffix) g(() => {
    applyNameSuffix(ra.resources, k.nameSuffix!, { fieldSpecs: cfg.nameSuffix, source: src(['nameSuffix']) });
    ran('SuffixTransformer');
  });
  (k.labels ?? []).forEach((l, i) => g(() => {
    const source = src(['labels', i]);
    const fields = parseFieldSpecList((l.fields ?? null) as JsonValue, 'fields', source);
    const specs = labelEntryFieldSpecs({ includeSelectors: l.includeSelectors, includeTemplates: l.includeTemplates, fields }, cfg, source);
    applyLabels(ra.resources, l.pairs ?? {}, { fieldSpecs: specs, source });
    ran('LabelTransformer');
  }));
  if (k.labels?.length || (k.commonLabels && Object.keys(k.commonLabels).length)) g(() => {
    applyLabels(ra.resources, k.commonLabels ?? {}, { fieldSpecs: cfg.commonLabels, source: src(['commonLabels']), by: 'commonLabels' });
    ran('LabelTransformer');
  });
  if (k.commonAnnotations && Object.keys(k.commonAnnotations).length) g(() => {
    applyAnnotations(ra.resources, k.commonAnnotations!, { fieldSpecs: cfg.commonAnnotations, source: src(['commonAnnotations']) });
    ran('AnnotationsTransformer');
  });
  if (k.patchesJson6902?.length) g(() => {
    ra.resources = applyPatchesJson6902(ra.resources, k.patchesJson6902!, ctx, (i, n) => note(src(['patchesJson6902', i]), 'patch', n));
    for (let i = 0; i < k.patchesJson6902!.length; i++) ran('PatchJson6902Transformer');
  });
  (k.replicas ?? []).forEach((r, i) => g(() => {
    applyReplicas(ra.resources, { name: r.name ?? '', count: r.count ?? 0 }, { fieldSpecs: cfg.replicas, source: src(['replicas', i]) });
    ran('ReplicaCountTransformer');
  }));
  const images = [...(k.images ?? []), ...(k.imageTags ?? [])];
  images.forEach((img, i) => g(() => {
    const source = i < (k.images?.length ?? 0) ? src(['images', i]) : src(['imageTags', i - (k.images?.length ?? 0)]);
    applyImage(ra.resources, img, { fieldSpecs: cfg.images, source });
    ran('ImageTagTransformer');
  }));
  if (k.replacements?.length) g(() => {
    const loaded: JsonValue[] = [];
    const sources: SourceRef[] = [];
    k.replacements!.forEach((r, i) => {
      const source = src(['replacements', i]);
      if (typeof r.path === 'string') {
        if (Object.keys(r).length > 1) throw new KustomizeError('replacement has both a path and inline content', source);
        const file = ctx.parseFileOrText(r.path, source);
        for (const d of file.documents) {
          // Each replacement read from a file points at its own place in that file.
          const at = (path: number[]): SourceRef => ({ file: file.path, range: rangeOfPath(file, d.index, path) ?? d.range });
          if (Array.isArray(d.value)) d.value.forEach((x, j) => { loaded.push(x); sources.push(at([j])); });
          else if (d.value !== null) { loaded.push(d.value); sources.push(at([])); }
        }
      } else loaded.push(r);
      for (let j = sources.length; j < loaded.length; j++) sources.push(source);
    });
    applyReplacements(ra.resources, loaded, src(['replacements']), sources);
    ran('ReplacementTransformer');
  });

  (k.transformers ?? []).forEach((entry, i) => g(() => {
    const source = src(['transformers', i]);
    for (const c of pluginConfigs(ctx.target, entry, source)) {
      runBuiltinTransformer(ra, c.obj, ctx, source);
      const meta = isObject(c.obj.metadata) ? c.obj.metadata : {};
      ran(String(c.obj.kind ?? ''), c.origin.source.file, typeof meta.name === 'string' ? meta.name : undefined);
    }
  }));
  (k.validators ?? []).forEach((entry, i) => g(() => {
    const source = src(['validators', i]);
    for (const c of pluginConfigs(ctx.target, entry, source)) {
      throw new KustomizeError(`unable to load validator ${String(c.obj.kind)}: only builtin plugins are supported and none validates`, source, { kind: 'plugin', what: String(c.obj.kind) });
    }
  }));
}

/** The plugin configurations an entry of `transformers:`/`generators:` stands for: inline YAML, a file, or a kustomization. */
export function pluginConfigs(target: KustTarget, entry: string, source: SourceRef): Resource[] {
  // An empty entry (`- ` or `- null`, Go's zero string) configures nothing, as in kustomize.
  if (entry === '') return [];
  if (entry.includes('\n') || /^\s*(apiVersion|kind)\s*:/.test(entry)) {
    const file = parseYamlFile(target.k.file, entry);
    return resourcesFromFile(file, []).map((r) => { r.origin = { ...r.origin, source }; return r; });
  }
  const abs = resolve(target.dir, entry);
  const st = target.ctx.stat(abs);
  if (st === 'directory') {
    const sub = new (target.constructor as new (c: unknown, d: string) => KustTarget)(target.ctx, abs);
    return sub.accumulate().resources;
  }
  const file = target.parseFile(entry, source);
  return resourcesFromFile(file, []);
}

function str(v: JsonValue | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Field specs of a plugin config; like kustomize's non-strict YAML decoding, unknown keys are ignored. */
function specsOf(cfg: JsonObject, source: SourceRef): FieldSpec[] {
  const list = Array.isArray(cfg.fieldSpecs) ? cfg.fieldSpecs : [];
  const known = list.filter(isObject).map((f) => {
    const o: JsonObject = {};
    for (const key of ['group', 'version', 'kind', 'path', 'create']) if (key in f) o[key] = f[key]!;
    return o;
  });
  return parseFieldSpecList(known, 'fieldSpecs', source);
}

function stringMapOf(v: JsonValue | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObject(v)) for (const [k, x] of Object.entries(v)) out[k] = typeof x === 'string' ? x : String(x);
  return out;
}

/** A builtin transformer configured by a `transformers:` entry (apiVersion builtin). */
function runBuiltinTransformer(ra: Accumulator, cfg: JsonObject, ctx: TransformContext, source: SourceRef): void {
  const kind = str(cfg.kind) ?? '';
  const meta = isObject(cfg.metadata) ? cfg.metadata : {};
  switch (kind) {
    case 'NamespaceTransformer':
      applyNamespace(ra.resources, {
        namespace: str(meta.namespace) ?? '', fieldSpecs: specsOf(cfg, source), source,
        unsetOnly: cfg.unsetOnly === true, setRoleBindingSubjects: str(cfg.setRoleBindingSubjects),
      });
      return;
    case 'PrefixSuffixTransformer':
    case 'PrefixTransformer':
    case 'SuffixTransformer': {
      const specs = specsOf(cfg, source);
      if (str(cfg.prefix)) applyNamePrefix(ra.resources, str(cfg.prefix)!, { fieldSpecs: specs, source });
      if (str(cfg.suffix)) applyNameSuffix(ra.resources, str(cfg.suffix)!, { fieldSpecs: specs, source });
      return;
    }
    case 'LabelTransformer':
      applyLabels(ra.resources, stringMapOf(cfg.labels), { fieldSpecs: specsOf(cfg, source), source });
      return;
    case 'AnnotationsTransformer':
      applyAnnotations(ra.resources, stringMapOf(cfg.annotations), { fieldSpecs: specsOf(cfg, source), source });
      return;
    case 'ImageTagTransformer':
      applyImage(ra.resources, (isObject(cfg.imageTag) ? cfg.imageTag : {}) as ImageSpec, {
        fieldSpecs: cfg.fieldSpecs ? specsOf(cfg, source) : ctx.config.images, source,
      });
      return;
    case 'ReplicaCountTransformer': {
      const r = isObject(cfg.replica) ? cfg.replica : {};
      applyReplicas(ra.resources, { name: str(r.name) ?? '', count: typeof r.count === 'number' ? r.count : 0 }, { fieldSpecs: specsOf(cfg, source), source });
      return;
    }
    case 'PatchTransformer': {
      const spec: PatchSpec = {
        path: str(cfg.path), patch: str(cfg.patch),
        target: isObject(cfg.target) ? (cfg.target as PatchSpec['target']) : undefined,
        options: isObject(cfg.options) ? (cfg.options as PatchSpec['options']) : undefined,
      };
      ra.resources = applyPatchEntry(ra.resources, spec, ctx, () => source);
      return;
    }
    case 'PatchStrategicMergeTransformer': {
      const paths = Array.isArray(cfg.paths) ? cfg.paths.filter((x): x is string => typeof x === 'string') : [];
      const inline = str(cfg.patches);
      const entries = [...paths, ...(inline ? [inline] : [])];
      ra.resources = applyPatchesStrategicMerge(ra.resources, entries, ctx);
      return;
    }
    case 'PatchJson6902Transformer': {
      const spec: PatchSpec = { path: str(cfg.path), patch: str(cfg.jsonOp), target: isObject(cfg.target) ? (cfg.target as PatchSpec['target']) : undefined };
      if (!spec.target) throw new KustomizeError('must specify the target field in patchesJson6902', source);
      ra.resources = applyPatchEntry(ra.resources, spec, ctx, () => source, 'patchesJson6902');
      return;
    }
    case 'ReplacementTransformer': {
      const list = Array.isArray(cfg.replacements) ? cfg.replacements : [];
      applyReplacements(ra.resources, list, source);
      return;
    }
    default:
      throw new KustomizeError(`unable to load builtin ${kind}.${str(cfg.apiVersion) ?? ''}.[noGrp]`, source, { kind: 'plugin', what: kind });
  }
}
