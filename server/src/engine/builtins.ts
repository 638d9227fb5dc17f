// The builtin transformers, one entry per kind, as kustomize has one configurator per builtin
// (kusttarget_configplugin.go): how the kustomization's own fields configure it, how a
// `transformers:` entry of that kind configures it, and how it runs. `namespace: x` and a
// NamespaceTransformer entry make the same config and run the same code. transformers.ts walks
// FIELD_ORDER for the fields and looks entries up by kind: each kind has one dispatch site.

import type { Accumulator } from './accumulator';
import type { TransformContext } from './context';
import { applyAnnotations } from './filters/annotations';
import { applyImage, type ImageOverride } from './filters/images';
import { applyLabels, labelEntryFieldSpecs } from './filters/labels';
import { applyNamespace, type NamespaceOptions } from './filters/namespace';
import { applyNamePrefix, applyNameSuffix } from './filters/prefix-suffix';
import { applyReplacements } from './filters/replacements';
import { applyReplicas, type ReplicaOverride } from './filters/replicas';
import { parseFieldSpecList, type FieldSpec } from './k8s/transformer-config';
import type { PatchSpec } from './kustomization/types';
import { applyPatchEntry, applyPatchJson6902, applyPatchesStrategicMerge, type SmEntry } from './patches';
import { isObject, KustomizeError, type JsonObject, type JsonValue, type SourceRef } from './resource';
import { rangeOfPath } from './yamlio';

/** One configured run of a builtin, and where it was configured. */
export interface Configured<C> {
  config: C;
  source: SourceRef;
  /** The kind kustomize notes for a field-configured run when it differs from the builtin's (PrefixTransformer). */
  noted?: string;
}

type At = (p: (string | number)[]) => SourceRef;

export interface BuiltinTransformer<C> {
  /** The runs the kustomization's own fields configure, in kustomize's order (none when unset). */
  fromFields?(ctx: TransformContext): Configured<C>[];
  /** The config of a `transformers:` entry of this kind (unknown keys ignored, as kustomize's decoding does). */
  fromPlugin(cfg: JsonObject, source: SourceRef, ctx: TransformContext): C;
  run(ra: Accumulator, config: C, ctx: TransformContext): void;
}

const str = (v: JsonValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const metaOf = (cfg: JsonObject): JsonObject => (isObject(cfg.metadata) ? cfg.metadata : {});

function stringMapOf(v: JsonValue | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObject(v)) for (const [k, x] of Object.entries(v)) out[k] = typeof x === 'string' ? x : String(x);
  return out;
}

/** Field specs of a plugin config, known keys only. */
function specsOf(cfg: JsonObject, source: SourceRef): FieldSpec[] {
  const list = Array.isArray(cfg.fieldSpecs) ? cfg.fieldSpecs : [];
  const known = list.filter(isObject).map((f) => {
    const o: JsonObject = {};
    for (const key of ['group', 'version', 'kind', 'path', 'create']) if (key in f) o[key] = f[key]!;
    return o;
  });
  return parseFieldSpecList(known, 'fieldSpecs', source);
}

const targetOf = (cfg: JsonObject): PatchSpec['target'] => (isObject(cfg.target) ? (cfg.target as PatchSpec['target']) : undefined);

// ---- the builtins --------------------------------------------------------------------------------

const patchStrategicMerge: BuiltinTransformer<{ entries: SmEntry[]; source: SourceRef }> = {
  fromFields: ({ k }) => (k.patchesStrategicMerge?.length
    ? [{ config: { entries: k.patchesStrategicMerge.map((entry, i) => ({ entry, source: k.source(['patchesStrategicMerge', i]) })), source: k.source(['patchesStrategicMerge']) }, source: k.source(['patchesStrategicMerge']) }]
    : []),
  fromPlugin: (cfg, source) => {
    const paths = Array.isArray(cfg.paths) ? cfg.paths.filter((x): x is string => typeof x === 'string') : [];
    const inline = str(cfg.patches);
    return { entries: [...paths, ...(inline ? [inline] : [])].map((entry) => ({ entry, source })), source };
  },
  run: (ra, c, ctx) => { ra.resources = applyPatchesStrategicMerge(ra.resources, c.entries, ctx, c.source); },
};

interface PatchRun { spec: PatchSpec; at: At; selection?: SourceRef }

const patch: BuiltinTransformer<PatchRun> = {
  fromFields: ({ k }) => (k.patches ?? []).map((spec, i) => {
    const at: At = (p) => k.source(['patches', i, ...p]);
    return { config: { spec, at, selection: at([]) }, source: at([]) };
  }),
  fromPlugin: (cfg, source) => ({
    spec: { path: str(cfg.path), patch: str(cfg.patch), target: targetOf(cfg), options: isObject(cfg.options) ? (cfg.options as PatchSpec['options']) : undefined },
    at: () => source,
  }),
  run: (ra, c, ctx) => {
    const note = c.selection && ((n: number) => ctx.target.ctx.noteSelection(c.selection!, 'patch', n));
    ra.resources = applyPatchEntry(ra.resources, c.spec, ctx, c.at, 'patches', note);
  },
};

const patchJson6902: BuiltinTransformer<PatchRun> = {
  fromFields: ({ k }) => (k.patchesJson6902 ?? []).map((spec, i) => {
    const at: At = (p) => k.source(['patchesJson6902', i, ...p]);
    return { config: { spec, at, selection: at([]) }, source: at([]) };
  }),
  fromPlugin: (cfg, source) => ({ spec: { path: str(cfg.path), patch: str(cfg.jsonOp), target: targetOf(cfg) }, at: () => source }),
  run: (ra, c, ctx) => {
    const note = c.selection && ((n: number) => ctx.target.ctx.noteSelection(c.selection!, 'patch', n));
    applyPatchJson6902(ra.resources, c.spec, ctx, c.at, note);
  },
};

const namespace: BuiltinTransformer<NamespaceOptions> = {
  fromFields: ({ k, config }) => (k.namespace ? [{ config: { namespace: k.namespace, fieldSpecs: config.namespace, source: k.source(['namespace']) }, source: k.source(['namespace']) }] : []),
  fromPlugin: (cfg, source) => ({
    namespace: str(metaOf(cfg).namespace) ?? '', fieldSpecs: specsOf(cfg, source), source,
    unsetOnly: cfg.unsetOnly === true, setRoleBindingSubjects: str(cfg.setRoleBindingSubjects),
  }),
  run: (ra, c) => applyNamespace(ra.resources, c),
};

interface AffixRun { prefix?: string; suffix?: string; fieldSpecs: FieldSpec[]; source: SourceRef }

const prefixSuffix: BuiltinTransformer<AffixRun> = {
  fromFields: ({ k, config }) => [
    ...(k.namePrefix ? [{ config: { prefix: k.namePrefix, fieldSpecs: config.namePrefix, source: k.source(['namePrefix']) }, source: k.source(['namePrefix']), noted: 'PrefixTransformer' }] : []),
    ...(k.nameSuffix ? [{ config: { suffix: k.nameSuffix, fieldSpecs: config.nameSuffix, source: k.source(['nameSuffix']) }, source: k.source(['nameSuffix']), noted: 'SuffixTransformer' }] : []),
  ],
  fromPlugin: (cfg, source) => ({ prefix: str(cfg.prefix), suffix: str(cfg.suffix), fieldSpecs: specsOf(cfg, source), source }),
  run: (ra, c) => {
    if (c.prefix) applyNamePrefix(ra.resources, c.prefix, { fieldSpecs: c.fieldSpecs, source: c.source });
    if (c.suffix) applyNameSuffix(ra.resources, c.suffix, { fieldSpecs: c.fieldSpecs, source: c.source });
  },
};

interface MapRun { pairs: Record<string, string>; fieldSpecs: FieldSpec[]; source: SourceRef; by?: string }

const labels: BuiltinTransformer<MapRun> = {
  // Each `labels` entry, then commonLabels (run, possibly empty, whenever either is set: kustomize
  // notes a LabelTransformer for it).
  fromFields: ({ k, config }) => {
    const out: Configured<MapRun>[] = (k.labels ?? []).map((l, i) => {
      const source = k.source(['labels', i]);
      const fields = parseFieldSpecList((l.fields ?? null) as JsonValue, 'fields', source);
      const fieldSpecs = labelEntryFieldSpecs({ includeSelectors: l.includeSelectors, includeTemplates: l.includeTemplates, fields }, config, source);
      return { config: { pairs: l.pairs ?? {}, fieldSpecs, source }, source };
    });
    if (k.labels?.length || (k.commonLabels && Object.keys(k.commonLabels).length)) {
      const source = k.source(['commonLabels']);
      out.push({ config: { pairs: k.commonLabels ?? {}, fieldSpecs: config.commonLabels, source, by: 'commonLabels' }, source });
    }
    return out;
  },
  fromPlugin: (cfg, source) => ({ pairs: stringMapOf(cfg.labels), fieldSpecs: specsOf(cfg, source), source }),
  run: (ra, c) => applyLabels(ra.resources, c.pairs, { fieldSpecs: c.fieldSpecs, source: c.source, by: c.by }),
};

const annotations: BuiltinTransformer<MapRun> = {
  fromFields: ({ k, config }) => (k.commonAnnotations && Object.keys(k.commonAnnotations).length
    ? [{ config: { pairs: k.commonAnnotations, fieldSpecs: config.commonAnnotations, source: k.source(['commonAnnotations']) }, source: k.source(['commonAnnotations']) }]
    : []),
  fromPlugin: (cfg, source) => ({ pairs: stringMapOf(cfg.annotations), fieldSpecs: specsOf(cfg, source), source }),
  run: (ra, c) => applyAnnotations(ra.resources, c.pairs, { fieldSpecs: c.fieldSpecs, source: c.source }),
};

const replicaCount: BuiltinTransformer<{ replica: ReplicaOverride; fieldSpecs: FieldSpec[]; source: SourceRef }> = {
  fromFields: ({ k, config }) => (k.replicas ?? []).map((r, i) => {
    const source = k.source(['replicas', i]);
    return { config: { replica: { name: r.name ?? '', count: r.count ?? 0 }, fieldSpecs: config.replicas, source }, source };
  }),
  fromPlugin: (cfg, source) => {
    const r = isObject(cfg.replica) ? cfg.replica : {};
    return { replica: { name: str(r.name) ?? '', count: typeof r.count === 'number' ? r.count : 0 }, fieldSpecs: specsOf(cfg, source), source };
  },
  run: (ra, c) => applyReplicas(ra.resources, c.replica, { fieldSpecs: c.fieldSpecs, source: c.source }),
};

const imageTag: BuiltinTransformer<{ image: ImageOverride; fieldSpecs: FieldSpec[]; source: SourceRef }> = {
  fromFields: ({ k, config }) => [
    ...(k.images ?? []).map((image, i) => ({ image, source: k.source(['images', i]) })),
    ...(k.imageTags ?? []).map((image, i) => ({ image, source: k.source(['imageTags', i]) })),
  ].map(({ image, source }) => ({ config: { image, fieldSpecs: config.images, source }, source })),
  fromPlugin: (cfg, source, ctx) => ({
    image: (isObject(cfg.imageTag) ? cfg.imageTag : {}) as ImageOverride,
    fieldSpecs: cfg.fieldSpecs ? specsOf(cfg, source) : ctx.config.images, source,
  }),
  run: (ra, c) => applyImage(ra.resources, c.image, { fieldSpecs: c.fieldSpecs, source: c.source }),
};

/** Replacements as written (inline, or `path:` to a file of them), each with where it was written. */
interface ReplacementsRun { entries: { value: JsonValue; source: SourceRef }[]; source: SourceRef }

const replacement: BuiltinTransformer<ReplacementsRun> = {
  fromFields: ({ k }) => (k.replacements?.length
    ? [{ config: { entries: k.replacements.map((value, i) => ({ value: value as JsonValue, source: k.source(['replacements', i]) })), source: k.source(['replacements']) }, source: k.source(['replacements']) }]
    : []),
  fromPlugin: (cfg, source) => ({ entries: (Array.isArray(cfg.replacements) ? cfg.replacements : []).map((value) => ({ value, source })), source }),
  run: (ra, c, ctx) => {
    const loaded: JsonValue[] = [];
    const sources: SourceRef[] = [];
    for (const { value: r, source } of c.entries) {
      if (isObject(r) && typeof r.path === 'string') {
        if (Object.keys(r).length > 1) throw new KustomizeError('replacement has both a path and inline content', source);
        const file = ctx.parseFileOrText(r.path, source);
        for (const d of file.documents) {
          // Each replacement read from a file points at its own place in that file.
          const at = (path: number[]): SourceRef => ({ file: file.path, range: rangeOfPath(file, d.index, path) ?? d.range });
          if (Array.isArray(d.value)) d.value.forEach((x, j) => { loaded.push(x); sources.push(at([j])); });
          else if (d.value !== null) { loaded.push(d.value); sources.push(at([])); }
        }
      } else {
        loaded.push(r);
        sources.push(source);
      }
    }
    applyReplacements(ra.resources, loaded, c.source, sources);
  },
};

/** Every builtin transformer by kind (the names a `transformers:` entry gives). */
export const BUILTIN_TRANSFORMERS: Readonly<Record<string, BuiltinTransformer<never>>> = {
  PatchStrategicMergeTransformer: patchStrategicMerge,
  PatchTransformer: patch,
  NamespaceTransformer: namespace,
  PrefixSuffixTransformer: prefixSuffix,
  PrefixTransformer: prefixSuffix,
  SuffixTransformer: prefixSuffix,
  LabelTransformer: labels,
  AnnotationsTransformer: annotations,
  PatchJson6902Transformer: patchJson6902,
  ReplicaCountTransformer: replicaCount,
  ImageTagTransformer: imageTag,
  ReplacementTransformer: replacement,
} as Record<string, BuiltinTransformer<unknown>> as Record<string, BuiltinTransformer<never>>;

/** The kinds a kustomization's own fields run, in kustomize's order. */
export const FIELD_ORDER = [
  'PatchStrategicMergeTransformer', 'PatchTransformer', 'NamespaceTransformer', 'PrefixSuffixTransformer', 'LabelTransformer',
  'AnnotationsTransformer', 'PatchJson6902Transformer', 'ReplicaCountTransformer', 'ImageTagTransformer', 'ReplacementTransformer',
] as const;
