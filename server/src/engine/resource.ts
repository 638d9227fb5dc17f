// The unit the engine works on: one Kubernetes object as plain JSON-like data, plus what kustomize
// tracks beside it (where it came from, the names it had, generator options) and the history of
// the fields that generators, patches and transformers set (its origins).

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** A position in a file: 0-based line and character, as LSP counts them. */
export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }

/** A place in a source file: the file (an absolute POSIX path on the host) and a range in it. */
export interface SourceRef { file: string; range?: Range }

/**
 * What kyaml keeps of a document's scalars beyond their values, by map-only key path (keys joined
 * by NUL): fields written with no value (`key:`), scalars written quoted or as blocks, and the text
 * of plain scalars that read as something other than a string (`1e3`, `True`).
 */
export interface ScalarFacts { empty: Set<string>; quoted: Set<string>; plainText: Map<string, string> }

/**
 * A source found when first read. A build records the source of every entry and patched field it
 * uses, and few are ever read (hovers, diagnostics, the preview's links); finding one walks the
 * `yaml` package's parse of a file, which the fast reader (fastyaml.ts) otherwise never makes.
 * `file` and `range` are own enumerable properties, so spreading or serializing the source reads them.
 */
export function lazySource(find: () => SourceRef): SourceRef {
  let found: SourceRef | undefined;
  const get = () => (found ??= find());
  const out = {} as SourceRef;
  Object.defineProperty(out, 'file', { enumerable: true, configurable: true, get: () => get().file, set: (file: string) => { found = { ...get(), file }; } });
  Object.defineProperty(out, 'range', { enumerable: true, configurable: true, get: () => get().range, set: (range: Range | undefined) => { found = { ...get(), range }; } });
  return out;
}

/** Who changed a field: the kind of step and the kustomization entry (or patch file) that did it. */
export interface FieldChange {
  /** e.g. 'patches', 'images', 'namePrefix', 'labels', 'replacements', 'configMapGenerator'. */
  by: string;
  /** The entry responsible: the kustomization line or the patch file's line that set the value. */
  source: SourceRef;
  /** The value after this change (undefined when the field was removed). */
  value?: JsonValue;
}

/** Where a resource came from. */
export interface ResourceOrigin {
  /** The file the document was read from, or the kustomization whose generator made it. */
  source: SourceRef;
  /** Index of the document in a multi-document file. */
  docIndex?: number;
  /** The generator that made it, if any ('configMapGenerator', 'secretGenerator', 'helmCharts'). */
  generator?: string;
  /** For objects made by a `generators:` entry: the builtin kind and the entry's metadata.name. */
  configuredBy?: { kind: string; name?: string };
  /** The kustomization roots the resource passed through, innermost first. */
  via: string[];
  /**
   * How the source wrote its scalars (yamlio.scalarFacts), which a strategic merge heeds as kyaml
   * does: fields left empty (`key:`) are dropped where explicit nulls stay; a quoted scalar keeps its
   * quotes when a patch overwrites it, so the patch's `1e3` or `true` becomes text.
   */
  scalarFacts?: () => ScalarFacts;
  /** Annotations the source wrote as plain non-strings, held as their text (yamlio.ParsedDocument). */
  rawAnnotations?: ReadonlyMap<string, [string, JsonValue]>;
}

export interface GeneratorOptions {
  behavior?: 'create' | 'merge' | 'replace';
  /** The name gets a content hash suffix at the end of the build. */
  needsHash?: boolean;
}

export interface Gvk { group: string; version: string; kind: string }

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.lastIndexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The name Go's JSON decoder gives a value's type in `cannot unmarshal X into …` errors. */
export function goJsonType(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'string') return 'string';
  return 'object';
}

export function deepClone<T extends JsonValue>(v: T): T {
  if (Array.isArray(v)) return v.map((x) => deepClone(x)) as T;
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const k of Object.keys(v)) out[k] = deepClone(v[k] as JsonValue);
    return out as T;
  }
  return v;
}

let nextSerial = 1;

export class Resource {
  /** Distinguishes copies of the same object in the same build (stable for one Resource). */
  readonly serial = nextSerial++;
  /** Names (and namespaces) this resource had before prefixes, suffixes, hashes and patches renamed it, oldest first. */
  readonly previousIds: { name: string; namespace: string; kind: string; group: string }[] = [];
  /** Field path (dot-joined, list items as [i] or [key=value]) → changes, oldest first. */
  readonly fieldOrigins = new Map<string, FieldChange[]>();
  options: GeneratorOptions = {};
  /** The kustomization roots whose namePrefix / nameSuffix this resource received (for name references). */
  readonly prefixes: string[] = [];
  readonly suffixes: string[] = [];
  /** The builtin transformers that ran over this resource, in order (kustomize's transformer annotations). */
  readonly transformations: { configuredIn: string; kind: string; name?: string }[] = [];
  /** Names of the vars whose objref names this resource (kustomize's refVarNames). */
  readonly refVarNames: string[] = [];
  /**
   * Field paths whose scalar kyaml holds untagged: set from text by the images transformer or
   * created by a replacement. Such a value takes its type from its text (a replacement writing
   * `9090` into it makes a number), and vars, which treat untagged scalars as strings, make it text.
   */
  readonly untagged = new Set<string>();
  /** Fields holding a text their tag cannot take (filters/fieldpath.ScalarDecodeError): an error if the object is printed. */
  readonly invalidScalars: KustomizeError[] = [];
  /**
   * Groups of places (keys and list indexes from the object's root) that hold one shared scalar,
   * as kyaml's nodes do after a label or annotation setter added a key to several maps at once:
   * writing one place writes them all (filters/shared.ts).
   */
  readonly sharedScalars: (string | number)[][][] = [];

  constructor(public obj: JsonObject, public origin: ResourceOrigin) {}

  get apiVersion(): string { return typeof this.obj.apiVersion === 'string' ? this.obj.apiVersion : ''; }
  get kind(): string { return typeof this.obj.kind === 'string' ? this.obj.kind : ''; }
  private gvkMemo: { apiVersion: string; kind: string; gvk: Gvk } | undefined;
  /** Group, version and kind (memoized while apiVersion and kind stay the same; treat as read-only). */
  get gvk(): Gvk {
    const apiVersion = this.apiVersion, kind = this.kind;
    const m = this.gvkMemo;
    if (m && m.apiVersion === apiVersion && m.kind === kind) return m.gvk;
    const gvk = { ...splitApiVersion(apiVersion), kind };
    this.gvkMemo = { apiVersion, kind, gvk };
    return gvk;
  }
  get metadata(): JsonObject {
    if (!isObject(this.obj.metadata)) this.obj.metadata = {};
    return this.obj.metadata as JsonObject;
  }
  get name(): string { const m = this.obj.metadata; return isObject(m) && typeof m.name === 'string' ? m.name : ''; }
  set name(n: string) { this.metadata.name = n; }
  get namespace(): string { const m = this.obj.metadata; return isObject(m) && typeof m.namespace === 'string' ? m.namespace : ''; }
  set namespace(ns: string) { this.metadata.namespace = ns; }

  labels(): Record<string, string> { return stringMap(this.metadata.labels); }
  annotations(): Record<string, string> { return stringMap(this.metadata.annotations); }

  /** The name and namespace it was first loaded with. */
  originalName(): string { return this.previousIds[0]?.name ?? this.name; }
  originalNamespace(): string { return this.previousIds[0]?.namespace ?? this.namespace; }
  originalKind(): string { return this.previousIds[0]?.kind ?? this.kind; }

  /** Remember the current id before a step renames the resource. */
  rememberId(): void {
    this.previousIds.push({ name: this.name, namespace: this.namespace, kind: this.kind, group: this.gvk.group });
  }

  recordChange(path: string, change: FieldChange): void {
    const list = this.fieldOrigins.get(path);
    if (!list) { this.fieldOrigins.set(path, [change]); return; }
    const last = list[list.length - 1]!;
    // One step that reaches a field twice (e.g. images through containers and field specs) is one change.
    if (last.by === change.by && last.source === change.source && last.value === change.value) return;
    list.push(change);
  }

  /**
   * The resource in outline: its identity (apiVersion, kind, name, namespace, labels, annotations),
   * its previous ids, its source and the roots it passed through. What a selector reads, for a
   * render kept without its objects.
   */
  outline(): Resource {
    const m = isObject(this.obj.metadata) ? this.obj.metadata : {};
    const metadata: JsonObject = {};
    for (const key of ['name', 'namespace', 'labels', 'annotations']) if (m[key] !== undefined) metadata[key] = m[key]!;
    const out = new Resource({ apiVersion: this.obj.apiVersion ?? '', kind: this.obj.kind ?? '', metadata }, { source: this.origin.source, via: this.origin.via });
    out.previousIds.push(...this.previousIds);
    return out;
  }

  clone(): Resource {
    const r = new Resource(deepClone(this.obj), { ...this.origin, via: [...this.origin.via] });
    r.previousIds.push(...this.previousIds.map((p) => ({ ...p })));
    for (const [k, v] of this.fieldOrigins) r.fieldOrigins.set(k, [...v]);
    r.options = { ...this.options };
    r.prefixes.push(...this.prefixes);
    r.suffixes.push(...this.suffixes);
    r.refVarNames.push(...this.refVarNames);
    r.transformations.push(...this.transformations);
    for (const p of this.untagged) r.untagged.add(p);
    r.invalidScalars.push(...this.invalidScalars);
    for (const g of this.sharedScalars) r.sharedScalars.push(g.map((p) => [...p]));
    return r;
  }
}

function stringMap(v: JsonValue | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObject(v)) for (const [k, x] of Object.entries(v)) out[k] = typeof x === 'string' ? x : String(x);
  return out;
}

/** A user error found while building: rendered as a diagnostic by the server, as a message by the CLI. */
export class KustomizeError extends Error {
  /** Set by Engine.build on the error it throws: the files read before it failed. */
  filesRead?: string[];

  constructor(message: string, public readonly source?: SourceRef, public readonly missing?: MissingInput) {
    super(message);
    this.name = 'KustomizeError';
  }

  /** The same error with another message or source (context added on the way up); keeps `missing`. */
  static rewrap(e: KustomizeError, message: string, source?: SourceRef): KustomizeError {
    return new KustomizeError(message, source, e.missing);
  }
}

/**
 * An input this build could not have, as opposed to an input that is wrong: a remote base or file
 * (not fetched), helm charts (helm not enabled), a plugin (not run). The render is then incomplete;
 * nothing should be concluded from what that input would have added.
 */
export interface MissingInput {
  kind: 'remote' | 'helm' | 'plugin';
  /** What is missing: the URL, the chart, the plugin kind. */
  what: string;
}
