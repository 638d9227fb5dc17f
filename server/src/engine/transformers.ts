// The transformers of one kustomization: the builtins its own fields configure, in kustomize's order
// (kusttarget_configplugin.go: patchesStrategicMerge, patches, namespace, namePrefix, nameSuffix,
// labels + commonLabels, commonAnnotations, patchesJson6902, replicas, images, replacements), then
// its `transformers:` entries, which configure the same builtins by kind (builtins.ts), then its
// `validators:` (none is builtin).

import type { Accumulator } from './accumulator';
import { BUILTIN_TRANSFORMERS, FIELD_ORDER, type Configured } from './builtins';
import type { TargetServices, TransformContext } from './context';
import { resourcesFromFile } from './load';
import { resolve } from './path';
import { isObject, KustomizeError, type JsonObject, type Resource, type SourceRef } from './resource';
import { parseYamlFile } from './yamlio';

export function runTransformers(ra: Accumulator, ctx: TransformContext): void {
  const k = ctx.k;
  // Each run is guarded: with collectErrors a failing entry is reported and the others still run.
  const g = (fn: () => void) => ctx.target.ctx.guard(fn);
  // Every builtin that runs is noted on every resource then in the map (kustomize's transformer annotations).
  const ran = (kind: string, configuredIn = k.file, name?: string) => {
    for (const r of ra.resources) r.transformations.push({ configuredIn, kind, name });
  };
  for (const kind of FIELD_ORDER) {
    const builtin = BUILTIN_TRANSFORMERS[kind]!;
    let runs: Configured<unknown>[] = [];
    g(() => { runs = builtin.fromFields?.(ctx) ?? []; });
    for (const c of runs) g(() => {
      builtin.run(ra, c.config as never, ctx);
      ran(c.noted ?? kind);
    });
  }
  (k.transformers ?? []).forEach((entry, i) => g(() => {
    const source = k.source(['transformers', i]);
    for (const c of pluginConfigs(ctx.target, entry, source)) {
      runBuiltinTransformer(ra, c.obj, ctx, source);
      const meta = isObject(c.obj.metadata) ? c.obj.metadata : {};
      ran(String(c.obj.kind ?? ''), c.origin.source.file, typeof meta.name === 'string' ? meta.name : undefined);
    }
  }));
  (k.validators ?? []).forEach((entry, i) => g(() => {
    const source = k.source(['validators', i]);
    for (const c of pluginConfigs(ctx.target, entry, source)) {
      throw new KustomizeError(`unable to load validator ${String(c.obj.kind)}: only builtin plugins are supported and none validates`, source, { kind: 'plugin', what: String(c.obj.kind) });
    }
  }));
}

/** A builtin transformer configured by a `transformers:` entry (apiVersion builtin). */
function runBuiltinTransformer(ra: Accumulator, cfg: JsonObject, ctx: TransformContext, source: SourceRef): void {
  const kind = typeof cfg.kind === 'string' ? cfg.kind : '';
  const builtin = Object.prototype.hasOwnProperty.call(BUILTIN_TRANSFORMERS, kind) ? BUILTIN_TRANSFORMERS[kind] : undefined;
  if (!builtin) throw new KustomizeError(`unable to load builtin ${kind}.${typeof cfg.apiVersion === 'string' ? cfg.apiVersion : ''}.[noGrp]`, source, { kind: 'plugin', what: kind });
  builtin.run(ra, builtin.fromPlugin(cfg, source, ctx) as never, ctx);
}

/** The plugin configurations an entry of `transformers:`/`generators:` stands for: inline YAML, a file, or a kustomization. */
export function pluginConfigs(target: TargetServices, entry: string, source: SourceRef): Resource[] {
  // An empty entry (`- ` or `- null`, Go's zero string) configures nothing, as in kustomize.
  if (entry === '') return [];
  if (entry.includes('\n') || /^\s*(apiVersion|kind)\s*:/.test(entry)) {
    const file = parseYamlFile(target.k.file, entry);
    return resourcesFromFile(file, []).map((r) => { r.origin = { ...r.origin, source }; return r; });
  }
  const abs = resolve(target.dir, entry);
  const st = target.ctx.stat(abs);
  if (st === 'directory') {
    return target.accumulateDir(abs).resources;
  }
  const file = target.parseFile(entry, source);
  return resourcesFromFile(file, []);
}
