// The builtin generators, one entry per kind, like the builtin transformers (builtins.ts): how the
// kustomization's own fields configure it (configMapGenerator, secretGenerator, helmCharts and the
// old helmChartInflationGenerator), how a `generators:` entry of that kind configures it, and how it
// runs. target.ts walks GENERATOR_FIELD_ORDER and looks entries up by kind: one dispatch site each.

import { generate, mergeOptions, type GeneratorIO } from './generators';
import { decodePluginConfig, type Kustomization } from './kustomization/load';
import { configMapArgs, secretArgs } from './kustomization/schema';
import type { GeneratorArgs, GeneratorOptionsSpec } from './kustomization/types';
import { isObject, KustomizeError, Resource, type JsonObject, type SourceRef } from './resource';

/** What a generator may use of the target it runs for. */
export interface GeneratorContext {
  readonly k: Kustomization;
  readonly dir: string;
  readonly io: GeneratorIO;
  /** Runs helm for a chart (kustomize's HelmChartInflationGenerator), the objects' source set to `src`. */
  inflateHelm(chart: JsonObject, src: SourceRef): Resource[];
}

type At = (p: (string | number)[]) => SourceRef;

export interface BuiltinGenerator<C> {
  /** The runs the kustomization's own fields configure, in kustomize's order. */
  fromFields?(g: GeneratorContext): { config: C; source: SourceRef }[];
  /** The config of a `generators:` entry of this kind. */
  fromPlugin(cfg: JsonObject, source: SourceRef): C;
  run(config: C, g: GeneratorContext): Resource[];
}

interface DataRun { args: GeneratorArgs; options: GeneratorOptionsSpec | undefined; at: At }

function dataGenerator(kind: 'ConfigMap' | 'Secret'): BuiltinGenerator<DataRun> {
  const field = kind === 'ConfigMap' ? 'configMapGenerator' : 'secretGenerator';
  return {
    fromFields: ({ k }) => (k[field] ?? []).map((args, i) => {
      const at: At = (p) => k.source([field, i, ...p]);
      return { config: { args, options: mergeOptions(args.options, k.generatorOptions), at }, source: at([]) };
    }),
    fromPlugin: (cfg, source) => {
      // The plugin form takes its name and namespace from metadata when the args do not say.
      const meta = isObject(cfg.metadata) ? cfg.metadata : {};
      const args = decodePluginConfig(cfg, kind === 'ConfigMap' ? configMapArgs : secretArgs, `${kind}Generator`) as unknown as GeneratorArgs;
      if (!args.name && typeof meta.name === 'string') args.name = meta.name;
      if (!args.namespace && typeof meta.namespace === 'string') args.namespace = meta.namespace;
      return { args, options: args.options, at: () => source };
    },
    run: (c, g) => [generate(kind, c.args, c.options, g.io, c.at, [g.dir])],
  };
}

/** The deprecated helmChartInflationGenerator entry, in helmCharts' terms (kustomize's SplitHelmParameters). */
function fromOldHelmArgs(old: JsonObject): JsonObject {
  const map: Record<string, string> = {
    chartName: 'name', chartVersion: 'version', chartRepoUrl: 'repo', releaseName: 'releaseName',
    releaseNamespace: 'namespace', values: 'valuesFile', valuesLocal: 'valuesInline', valuesMerge: 'valuesMerge', extraArgs: 'extraArgs',
  };
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(old)) if (map[k]) out[map[k]!] = v;
  return out;
}

const helmChartInflation: BuiltinGenerator<{ chart: JsonObject; source: SourceRef }> = {
  fromFields: ({ k }) => [
    ...(k.helmCharts ?? []).map((chart, i) => ({ chart, source: k.source(['helmCharts', i]) })),
    ...(k.helmChartInflationGenerator ?? []).map((old, i) => ({ chart: fromOldHelmArgs(old), source: k.source(['helmChartInflationGenerator', i]) })),
  ].map((config) => ({ config, source: config.source })),
  fromPlugin: (cfg, source) => ({ chart: cfg, source }),
  run: (c, g) => g.inflateHelm(c.chart, c.source),
};

const iamPolicy: BuiltinGenerator<{ cfg: JsonObject; source: SourceRef }> = {
  fromPlugin: (cfg, source) => ({ cfg, source }),
  run: ({ cfg, source }, g) => {
    const svc = isObject(cfg.kubernetesService) ? cfg.kubernetesService : {};
    const sa = isObject(cfg.serviceAccount) ? cfg.serviceAccount : {};
    if (cfg.cloud !== 'gke') throw new KustomizeError(`IAMPolicyGenerator: cloud '${String(cfg.cloud)}' is not supported (only gke)`, source);
    const metadata: JsonObject = {
      annotations: { 'iam.gke.io/gcp-service-account': `${String(sa.name ?? '')}@${String(sa.projectId ?? '')}.iam.gserviceaccount.com` },
      name: String(svc.name ?? ''),
    };
    if (typeof svc.namespace === 'string' && svc.namespace) metadata.namespace = svc.namespace;
    return [new Resource({ apiVersion: 'v1', kind: 'ServiceAccount', metadata }, { source, generator: 'IAMPolicyGenerator', via: [g.dir] })];
  },
};

/** Every builtin generator by kind (the names a `generators:` entry gives). */
export const BUILTIN_GENERATORS: Readonly<Record<string, BuiltinGenerator<never>>> = {
  ConfigMapGenerator: dataGenerator('ConfigMap'),
  SecretGenerator: dataGenerator('Secret'),
  HelmChartInflationGenerator: helmChartInflation,
  IAMPolicyGenerator: iamPolicy,
} as Record<string, BuiltinGenerator<unknown>> as Record<string, BuiltinGenerator<never>>;

/** The kinds a kustomization's own fields run, in kustomize's order. */
export const GENERATOR_FIELD_ORDER = ['ConfigMapGenerator', 'SecretGenerator', 'HelmChartInflationGenerator'] as const;

/** A builtin generator configured by a `generators:` entry (apiVersion builtin); its objects note the entry. */
export function runBuiltinGenerator(cfg: JsonObject, source: SourceRef, g: GeneratorContext): Resource[] {
  const kind = typeof cfg.kind === 'string' ? cfg.kind : '';
  const builtin = Object.prototype.hasOwnProperty.call(BUILTIN_GENERATORS, kind) ? BUILTIN_GENERATORS[kind] : undefined;
  if (!builtin) throw new KustomizeError(`unable to load builtin generator ${kind}: only builtin generators are supported (plugins are not run)`, source, { kind: 'plugin', what: kind });
  const meta = isObject(cfg.metadata) ? cfg.metadata : {};
  const configuredBy = { kind, name: typeof meta.name === 'string' ? meta.name : undefined };
  return builtin.run(builtin.fromPlugin(cfg, source) as never, g).map((r) => { r.origin = { ...r.origin, configuredBy }; return r; });
}
