// One kustomization root as the workspace model sees it: its parsed file (never throwing: a syntax
// error is kept, not raised), and every path it references, resolved, with the YAML path of the entry.

import { type FieldDoc, fieldOf, type FieldType, type FileHost, isObject, join, type JsonObject, type JsonValue, KUSTOMIZATION_FILE_NAMES, kustomizationFields, KustomizeError, type ParsedFile, parseYamlFile, resolve } from '../engine/index';

export type PathExpect = 'file' | 'dir' | 'file-or-dir';

/** A path-valued entry of a kustomization. */
export interface PathRef {
  /** The top-level field (`resources`, `patches`, `configMapGenerator`…). */
  field: string;
  /** Its YAML path in the kustomization document, e.g. ['patches', 0, 'path']. */
  yamlPath: (string | number)[];
  /** The text as written. */
  value: string;
  /** The path part of the value (after `key=` for generator files). */
  pathText: string;
  abs: string;
  expect: PathExpect;
}

const REMOTE_RE = /^(https?:\/\/|git@|ssh:\/\/|git::|github\.com\/|gitlab\.com\/|bitbucket\.org\/|[a-z]+:\/\/)/;

export class Root {
  parsed?: ParsedFile;
  syntaxError?: KustomizeError;
  raw?: JsonObject;
  kind: 'Kustomization' | 'Component' = 'Kustomization';
  refs: PathRef[] = [];
  /** refs of resources/bases/components that name a folder (another root, when it has a kustomization). */
  includes: PathRef[] = [];

  constructor(readonly dir: string, readonly file: string, readonly folder: string) {}

  load(host: FileHost, text?: string): void {
    const prev = { refs: this.refs, includes: this.includes };
    this.parsed = undefined; this.syntaxError = undefined; this.raw = undefined;
    this.refs = []; this.includes = [];
    try {
      const t = text ?? host.readFile(this.file);
      this.parsed = parseYamlFile(this.file, t, { uniqueKeys: false });
    } catch (e) {
      this.syntaxError = e instanceof KustomizeError ? e : new KustomizeError(String((e as Error).message ?? e), { file: this.file });
      // While the file does not parse (mid-edit), keep the graph it had: environments do not flap.
      this.refs = prev.refs; this.includes = prev.includes;
      return;
    }
    const first = this.parsed.documents.find((d) => d.value !== null);
    if (!first || !isObject(first.value)) return;
    this.raw = first.value;
    this.kind = this.raw.kind === 'Component' ? 'Component' : 'Kustomization';
    for (const [key, v] of Object.entries(this.raw)) {
      const fd = kustomizationFields[key];
      if (fd) collectRefs(fd, v, [key], key, this);
    }
    if (isObject(this.raw.openapi) && typeof this.raw.openapi.path === 'string') {
      this.addRef('openapi', ['openapi', 'path'], this.raw.openapi.path, 'file');
    }
    for (const r of this.refs) {
      if ((r.field === 'resources' || r.field === 'bases' || r.field === 'components') && host.stat(r.abs) === 'directory') this.includes.push(r);
    }
  }

  get docIndex(): number {
    return this.parsed?.documents.find((d) => d.value !== null)?.index ?? 0;
  }

  addRef(field: string, yamlPath: (string | number)[], value: string, expect: PathExpect): void {
    if (value.includes('\n') || REMOTE_RE.test(value)) return;
    let pathText = value;
    if ((field === 'configMapGenerator' || field === 'secretGenerator') && yamlPath.includes('files')) {
      const eq = value.indexOf('=');
      if (eq >= 0) pathText = value.slice(eq + 1);
    }
    if (!pathText.trim()) return;
    if ((field === 'generators' || field === 'transformers' || field === 'validators') && /^\s*(apiVersion|kind)\s*:/.test(value)) return;
    this.refs.push({ field, yamlPath, value, pathText, abs: resolve(this.dir, pathText), expect });
  }
}

function collectRefs(fd: FieldDoc, v: JsonValue | undefined, path: (string | number)[], field: string, root: Root): void {
  walk(fd.type, v, path, fd.path);
  function walk(t: FieldType, value: JsonValue | undefined, p: (string | number)[], isPath: FieldDoc['path']): void {
    if (value === undefined || value === null) return;
    if (t.t === 'string' && isPath && typeof value === 'string') root.addRef(field, p, value, isPath);
    else if (t.t === 'list' && Array.isArray(value)) value.forEach((x, i) => walk(t.of, x, [...p, i], isPath));
    else if (t.t === 'object' && isObject(value)) {
      for (const [k, x] of Object.entries(value)) {
        const sub = fieldOf(t, k)?.doc;
        if (sub) walk(sub.type, x, [...p, k], sub.path);
      }
    }
  }
}

/** The kustomization file of a folder on the host, if any. */
export function kustomizationFileIn(host: FileHost, dir: string): string | undefined {
  for (const n of KUSTOMIZATION_FILE_NAMES) if (host.stat(join(dir, n)) === 'file') return join(dir, n);
  return undefined;
}

export function isKustomizationFile(p: string): boolean {
  return KUSTOMIZATION_FILE_NAMES.includes(p.slice(p.lastIndexOf('/') + 1));
}

export const KUSTOMIZATION_NAMES = KUSTOMIZATION_FILE_NAMES;
