// Accumulating a kustomization root: resources, bases and components recursively, then generators,
// then the builtin transformers in kustomize's order. This is the only part of the engine that reads
// files (through the host); every step below it works on resources in memory.

import { BUILTIN_GENERATORS, GENERATOR_FIELD_ORDER, runBuiltinGenerator, type GeneratorContext } from './builtin-generators';
import type { GeneratorIO } from './generators';
import type { BuildContext } from './build-context';
import { mergeTransformerConfig, parseTransformerConfig, type TransformerConfig } from './k8s/transformer-config';
import { findKustomizationFile, kustomizationFrom, type Kustomization } from './kustomization/load';
import { BUILD_WARNS_DEPRECATED, kustomizationFields } from './kustomization/schema';
import { isWithin, resolve } from './path';
import { KustomizeError, type Resource, type JsonObject, type JsonValue, type SourceRef } from './resource';
import { parseYamlFile, type ParsedFile } from './yamlio';
import { pluginConfigs, runTransformers } from './transformers';
import type { TargetServices, TransformContext } from './context';
import { absorb, Accumulator, DEFAULT_CONFIG, emptyConfig } from './accumulator';
import { resourcesFromFile } from './load';
import { checkInCheckout, isRemoteEntry, loadRemote, remoteFile } from './remote';
import { mergeVars, mergeVarSets, type VarDecl } from './filters/vars';
import { crdFieldSpecs, OpenApiSchemas } from './k8s/openapi';
import { parse as parseYamlText } from 'yaml';

export class KustTarget implements TargetServices {
  readonly k: Kustomization;

  /** `checkout`: the folder of the fetched repository this root is in, when it came from a remote entry (kustomize then restricts loads to the root, whatever the build's restrictor, and bases to the repository). */
  constructor(readonly ctx: BuildContext, dir: string, readonly checkout?: string) {
    const file = findKustomizationFile(ctx, dir);
    this.k = kustomizationFrom(ctx.parse(file, { kustomization: true }), dir);
    for (const key of BUILD_WARNS_DEPRECATED) {
      if (this.k[key] !== undefined) {
        ctx.warnings.push({ message: `Warning: '${key}' is deprecated. Please use '${kustomizationFields[key]!.deprecated}' instead.`, source: this.k.source([key]) });
      }
    }
  }

  get dir(): string { return this.k.dir; }

  accumulateDir(abs: string): Accumulator {
    return new KustTarget(this.ctx, abs, this.checkout).accumulate();
  }
  /** The root with symlinks resolved (the host's realPath), once per target. */
  private realRoot: string | undefined;

  /** Checks kustomize's default load restriction: files must be in or below the root. */
  checkLoad(path: string, source: SourceRef): void {
    if (this.ctx.options.loadRestrictor === 'none' && !this.checkout) return;
    if (!isWithin(this.dir, path)) {
      throw new KustomizeError(`security; file '${path}' is not in or below '${this.dir}'`, source);
    }
    // kustomize resolves symlinks in the whole path (the root's too): a link that leads outside
    // the root is refused as a file outside it would be.
    const real = this.ctx.host.realPath;
    if (real) {
      const root = (this.realRoot ??= real.call(this.ctx.host, this.dir));
      if (!isWithin(root, real.call(this.ctx.host, path))) {
        throw new KustomizeError(`security; file '${path}' is not in or below '${root}'`, source);
      }
    }
  }

  /** Reads a file named by this kustomization (generator inputs, patches, configs). */
  private loadFile(rel: string, source: SourceRef): string {
    const fetched = remoteFile(rel, source, this.ctx.options.remote);
    if (fetched !== undefined) return fetched;
    const abs = resolve(this.dir, rel);
    this.checkLoad(abs, source);
    if (this.ctx.stat(abs) !== 'file') throw new KustomizeError(`open ${abs}: no such file or directory`, source);
    return this.ctx.readText(abs);
  }

  /** The whole build of this root: accumulate, then the steps kustomize does once at the top. */
  /** kustomize's accumulation of this root, in its order; each step guarded (collectErrors). */
  accumulate(ra: Accumulator = new Accumulator()): Accumulator {
    const k = this.k;
    if (this.ctx.stack.includes(this.dir)) {
      throw new KustomizeError(`cycle detected: ${[...this.ctx.stack, this.dir].join(' -> ')}`, k.source([]));
    }
    this.ctx.stack.push(this.dir);
    this.ctx.visited.add(this.dir);
    try {
      const g = (fn: () => void) => this.ctx.guard(fn);
      g(() => this.loadOpenApi());
      const resources = [...(k.resources ?? []), ...(k.bases ?? [])];
      resources.forEach((p, i) => g(() => {
        const src = i < (k.resources?.length ?? 0) ? k.source(['resources', i]) : k.source(['bases', i - (k.resources?.length ?? 0)]);
        this.accumulateResource(ra, p, src);
      }));
      this.loadConfigurations(ra);
      this.runGenerators(ra);
      (k.components ?? []).forEach((p, i) => g(() => this.accumulateComponent(ra, p, k.source(['components', i]))));
      runTransformers(ra, this.transformContext(ra));
      if (k.vars?.length) g(() => this.declareVars(ra));
      for (const r of ra.resources) {
        const via = r.origin.via;
        if (via[via.length - 1] !== this.dir) via.push(this.dir);
      }
      return ra;
    } finally {
      this.ctx.stack.pop();
    }
  }

  /** `configurations:` and `crds:`: field specs merged into the accumulated transformer config. */
  private loadConfigurations(ra: Accumulator): void {
    const k = this.k;
    const g = (fn: () => void) => this.ctx.guard(fn);
    let config = DEFAULT_CONFIG;
    (k.configurations ?? []).forEach((p, i) => g(() => {
      const src = k.source(['configurations', i]);
      const file = this.parseFile(p, src);
      for (const d of file.documents) if (d.value !== null) config = mergeTransformerConfig(config, parseTransformerConfig(d.value, src));
    }));
    ra.config = mergeTransformerConfig(ra.config, config);
    (k.crds ?? []).forEach((p, i) => g(() => {
      const src = k.source(['crds', i]);
      const file = this.parseFile(p, src);
      for (const d of file.documents) {
        try {
          ra.config = mergeTransformerConfig(ra.config, configFromCrd(d.value, p));
        } catch (e) {
          if (e instanceof KustomizeError) throw KustomizeError.rewrap(e, `loading CRDs: ${e.message}`, e.source ?? src);
          throw e;
        }
      }
    }));
  }

  /** One `components:` entry, accumulated into this root's accumulator. */
  private accumulateComponent(ra: Accumulator, p: string, src: SourceRef): void {
    const remote = isRemoteEntry(p, this.ctx.options.remote) ? loadRemote(p, src, this.ctx.options.remote, 'components') : undefined;
    const abs = remote?.kind === 'dir' ? remote.dir : resolve(this.dir, p);
    const checkout = remote?.kind === 'dir' ? remote.checkout : this.checkout;
    if (checkout && !remote) checkInCheckout(abs, checkout, src);
    const kind = this.ctx.stat(abs);
    if (kind !== 'directory') {
      throw new KustomizeError(kind === 'file'
        ? `accumulating components: loader.New "must build at directory: '${abs}': file is not directory"`
        : `accumulating components: loader.New "must build at directory: not a valid directory: evalsymlink failure on '${abs}' : lstat ${abs}: no such file or directory"`, src);
    }
    const sub = new KustTarget(this.ctx, abs, checkout);
    if (sub.k.kind !== 'Component') {
      throw new KustomizeError(`accumulating components: expected kind 'Component' for path '${abs}' but got '${sub.k.kind}'`, src);
    }
    sub.accumulate(ra);
  }

  /** What the transformers see of this build (context.ts). */
  private transformContext(ra: Accumulator): TransformContext {
    return {
      k: this.k,
      config: ra.config,
      loadFile: (rel, src) => this.loadFile(rel, src),
      parseFile: (rel, src) => this.parseFile(rel, src),
      parseFileOrText: (rel, src) => this.parseFile(rel, src),
      schemaExtras: () => this.ctx.schemas,
      target: this,
    };
  }

  /** `vars:`, declared on what was accumulated (resolved once, at the top). */
  private declareVars(ra: Accumulator): void {
    const decls: VarDecl[] = this.k.vars!.map((v, i) => ({
      name: v.name ?? '',
      objref: { apiVersion: v.objref?.apiVersion, group: v.objref?.group, version: v.objref?.version, kind: v.objref?.kind ?? '', name: v.objref?.name ?? '', namespace: v.objref?.namespace },
      fieldref: { fieldpath: v.fieldref?.fieldpath },
      source: this.k.source(['vars', i]),
    }));
    ra.vars = mergeVars(ra.vars, decls, ra.resources);
  }

  private loadOpenApi(): void {
    const o = this.k.openapi;
    if (!o) return;
    if (o.path) {
      const src = this.k.source(['openapi', 'path']);
      const text = this.loadFile(o.path, src);
      try {
        // Like kustomize's global schema: the root's custom schema replaces the built-in one; a
        // custom schema met deeper (a base or component) is added to the built-in definitions
        // already loaded, and the first one set stays.
        if (this.ctx.stack.length > 1 && this.ctx.schemas) return;
        this.ctx.schemas = OpenApiSchemas.fromDocument(text, (t) => parseYamlText(t), o.path, this.ctx.stack.length > 1 ? OpenApiSchemas.builtin() : undefined);
      } catch (e) {
        if (e instanceof KustomizeError) throw KustomizeError.rewrap(e, e.message, e.source ?? src);
        throw e;
      }
    } else if (o.version !== undefined && o.version !== 'v1.21.2') {
      throw new KustomizeError('the specified OpenAPI version is not built in', this.k.source(['openapi', 'version']));
    }
  }

  parseFile(rel: string, source: SourceRef): ParsedFile {
    const fetched = remoteFile(rel, source, this.ctx.options.remote);
    if (fetched !== undefined) return parseYamlFile(rel, fetched);
    const abs = resolve(this.dir, rel);
    this.checkLoad(abs, source);
    if (this.ctx.stat(abs) !== 'file') throw new KustomizeError(`open ${abs}: no such file or directory`, source);
    return this.ctx.parse(abs);
  }

  private accumulateResource(ra: Accumulator, p: string, src: SourceRef): void {
    let remote = isRemoteEntry(p, this.ctx.options.remote) ? loadRemote(p, src, this.ctx.options.remote, 'resources') : undefined;
    if (remote?.kind === 'file' && remote.orCheckout) {
      // What answered the URL must hold resources; else kustomize builds the repository checkout.
      try { resourcesFromFile(remote.file, [this.dir]); } catch (e) { if (!(e instanceof KustomizeError)) throw e; remote = remote.orCheckout(); }
    }
    if (remote?.kind === 'dir') { this.appendDirectory(ra, remote.dir, p, src, remote.checkout); return; }
    const abs = resolve(this.dir, p);
    const kind = remote ? 'file' : this.ctx.stat(abs);
    if (kind === 'file') {
      if (!remote) this.checkLoad(abs, src);
      const file = remote?.kind === 'file' ? remote.file : this.ctx.parse(abs);
      const list = resourcesFromFile(file, [this.dir]);
      try {
        ra.append(list, src);
      } catch (e) {
        if (e instanceof KustomizeError) throw KustomizeError.rewrap(e, `accumulating resources: merging resources from '${p}': ${e.message}`, src);
        throw e;
      }
      return;
    }
    if (kind === 'directory') {
      if (this.checkout) checkInCheckout(abs, this.checkout, src);
      this.appendDirectory(ra, abs, p, src, this.checkout);
      return;
    }
    throw new KustomizeError(
      `accumulating resources: accumulation err='accumulating resources from '${p}': open ${abs}: no such file or directory': must build at directory: not a valid directory: evalsymlink failure on '${abs}' : lstat ${abs}: no such file or directory`,
      src,
    );
  }

  /** A folder named by `resources:` (a base or overlay; in a checkout for a remote entry): accumulated on its own, then appended. */
  private appendDirectory(ra: Accumulator, abs: string, p: string, src: SourceRef, checkout: string | undefined): void {
    // The base's own kustomization file is read inside the sub-render, so the cache that reuses
    // its accumulation also depends on it (an edit to an included overlay re-renders it).
    const subRa = this.ctx.subRender(abs, () => {
      let sub: KustTarget;
      try {
        sub = new KustTarget(this.ctx, abs, checkout);
      } catch (e) {
        if (e instanceof KustomizeError && !e.source?.range) throw KustomizeError.rewrap(e, `accumulating resources: ${e.message}`, src);
        throw e;
      }
      if (sub.k.kind === 'Component') {
        throw new KustomizeError(`accumulating resources from '${p}': expected kind != 'Component' for path '${abs}'`, src);
      }
      return sub.accumulate(new Accumulator());
    });
    try {
      ra.append(subRa.resources, src);
    } catch (e) {
      if (e instanceof KustomizeError) throw KustomizeError.rewrap(e, `accumulating resources: recursed merging from path '${abs}': ${e.message}`, src);
      throw e;
    }
    ra.config = mergeTransformerConfig(ra.config, subRa.config);
    ra.vars = mergeVarSets(ra.vars, subRa.vars);
  }

  private runGenerators(ra: Accumulator): void {
    const k = this.k;
    const io: GeneratorIO = {
      readBytes: (rel, source) => {
        // kustomize fetches an http(s) URL in `files:`/`envs:` with a GET (no load restriction).
        const fetched = remoteFile(rel, source, this.ctx.options.remote);
        if (fetched !== undefined) return new TextEncoder().encode(fetched);
        const abs = resolve(this.dir, rel);
        this.checkLoad(abs, source);
        if (this.ctx.stat(abs) !== 'file') throw new KustomizeError(`open ${abs}: no such file or directory`, source);
        return this.ctx.readBytes(abs);
      },
    };
    const gen: GeneratorContext = { k, dir: this.dir, io, inflateHelm: (chart, src) => this.inflateHelm(chart, src) };
    const g = (fn: () => void) => this.ctx.guard(fn);
    for (const kind of GENERATOR_FIELD_ORDER) {
      const builtin = BUILTIN_GENERATORS[kind]!;
      for (const c of builtin.fromFields?.(gen) ?? []) g(() => {
        for (const r of builtin.run(c.config as never, gen)) g(() => absorb(ra, r));
      });
    }
    (k.generators ?? []).forEach((entry, i) => g(() => {
      const src = k.source(['generators', i]);
      for (const cfg of pluginConfigs(this, entry, src)) {
        for (const r of runBuiltinGenerator(cfg.obj, cfg.origin.source, gen)) absorb(ra, r);
      }
    }));
  }

  inflateHelm(chart: JsonObject, src: SourceRef): Resource[] {
    const opts = this.ctx.options;
    if (!opts.enableHelm) {
      throw new KustomizeError('must specify --enable-helm', src, { kind: 'helm', what: String(chart.name ?? chart.repo ?? 'a chart') });
    }
    if (!opts.helm) throw new KustomizeError('helmCharts need a helm binary: none is configured and none was found on PATH', src);
    // As kustomize: the chart's own namespace only (the kustomization's namespace is applied to
    // the rendered objects afterwards, and .Release.Namespace stays helm's default).
    const c = { ...chart };
    let text: string;
    try {
      text = opts.helm({ chart: c, globals: (this.k.helmGlobals ?? {}) as JsonObject, kustomizationDir: this.dir, loadRestrictor: opts.loadRestrictor ?? 'rootOnly' });
    } catch (e) {
      // The runner knows no file: point its errors at the helmCharts entry that asked for them.
      if (e instanceof KustomizeError && !e.source) throw KustomizeError.rewrap(e, e.message, src);
      throw e;
    }
    const file = parseYamlFile(`${this.dir}/<helm ${String(c.name)}>`, text);
    return resourcesFromFile(file, [this.dir]).map((r) => {
      r.origin = { ...r.origin, source: src, generator: 'helmCharts' };
      return r;
    });
  }

}

/** Field specs contributed by a `crds:` file (kustomize's loadconfigfromcrds). */
function configFromCrd(content: JsonValue, path: string): TransformerConfig {
  const specs = crdFieldSpecs(content, path);
  const config = emptyConfig();
  const fs = (l: { gvk: { kind: string }; path: string }[]) => l.map((x) => ({ kind: x.gvk.kind, path: x.path }));
  config.commonAnnotations = fs(specs.annotations);
  config.commonLabels = fs(specs.commonLabels);
  config.namePrefix = fs(specs.namePrefix);
  config.nameSuffix = fs(specs.namePrefix);
  config.nameReference = specs.nameReference.map((n) => ({ kind: n.gvk.kind, version: n.gvk.version, fieldSpecs: fs(n.referrers) }));
  return config;
}
