// Reading YAML the way kustomize does (multi-document files, anchors and merge keys, scalars as
// go-yaml resolves them: goyaml.ts) while keeping where each document sits in its file, and writing
// it back in kustomize's style.

import { type Document, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, Scalar, type Tags, visit, type Node } from 'yaml';
import { fastParseYaml, type FastDocument, type FastFacts } from './fastyaml';
import { foldedRoundTrip, resolvePlain } from './goyaml';
import { foldName } from './kustomization/schema';
import { writeYaml } from './yamlwrite';
import { KustomizeError, type JsonObject, type JsonValue, type Range, type ScalarFacts } from './resource';

interface ParsedDocument {
  value: JsonValue;
  index: number;
  range: Range;
  /** The `yaml` package's document (with positions). Read lazily when the fast reader read the file. */
  doc: Document.Parsed;
  /**
   * Annotations written as plain scalars that go-yaml reads as something else (`2001-12-14`,
   * `1_000.5`): key → [the text, that value]. The object holds their text, as kustomize prints them, until a
   * JSON 6902 patch sends the object through JSON (patches.ts), which turns them into that value.
   */
  rawAnnotations?: Map<string, [string, JsonValue]>;
}

export interface ParsedFile {
  path: string;
  text: string;
  documents: ParsedDocument[];
  /** Offsets to lines and columns. Read lazily when the fast reader read the file. */
  lines: LineCounter;
}

function toRange(lines: LineCounter, start: number, end: number): Range {
  const a = lines.linePos(start);
  const b = lines.linePos(end);
  return { start: { line: a.line - 1, character: a.col - 1 }, end: { line: b.line - 1, character: b.col - 1 } };
}

// Unquoted scalars resolve as go-yaml resolves them (goyaml.ts): v3 for resources, v2 (YAML 1.1
// booleans) for kustomization files. One catch-all tag, tried first, decides for every plain scalar;
// explicit tags (`!!str 1`) still go to the yaml package's own.
const goPlain = (version: 2 | 3) => ({
  default: true,
  tag: `tag:gitops-lens,go-yaml-v${version}`,
  test: /(?:)/,
  resolve: (s: string) => resolvePlain(s, version).value,
});

// The tag lists are computed once: the yaml package asks for them for every document it parses.
let v3TagList: Tags | undefined;
let v2TagList: Tags | undefined;
const v3Tags = (tags: Tags) => (v3TagList ??= [goPlain(3), ...tags]);
const v2Tags = (tags: Tags) => (v2TagList ??= [goPlain(2), ...tags]);

/**
 * Parses every document of a file. A syntax error is a KustomizeError at the offending line.
 *
 * Resources are read by the fast reader (fastyaml.ts) when it can: their values, ranges and
 * annotations come from it, and the `yaml` package's documents and line table (`doc`, `lines`: what
 * rangeOfPath, scalarFacts and the language server's hovers walk) are made the first time something
 * asks for them. Kustomization files (YAML 1.1 for go-yaml v2's scalars) take the fast reader too.
 * Anything it is unsure of (a repeated key among them) takes the `yaml` package's path, which also
 * gives every error.
 */
export function parseYamlFile(path: string, text: string, opts: { uniqueKeys?: boolean; yaml11?: boolean } = {}): ParsedFile {
  const fast = fastParseYaml(text, fastOptions(text, opts));
  if (fast) return new LazyFile(path, text, opts, fast);
  return parseYamlFileFull(path, text, opts);
}

/**
 * The fast reader's options for a file, as parseYamlFileFull treats it: a resource (go-yaml v3,
 * annotations kept as text, folded scalars round-tripped) or a kustomization file (v2, neither).
 */
const fastOptions = (text: string, opts: { yaml11?: boolean }, facts = false) => opts.yaml11
  ? { version: 2 as const, annotationsAsText: false, roundTripFolded: false, facts }
  : { version: 3 as const, annotationsAsText: text.includes('annotations'), roundTripFolded: text.includes('>'), facts };

/** A file the fast reader read: the `yaml` package's parse of it runs when `doc` or `lines` is first asked for. */
class LazyFile implements ParsedFile {
  readonly documents: ParsedDocument[];
  private full: ParsedFile | undefined;
  private facts: (FastFacts | undefined)[] | undefined;

  constructor(readonly path: string, readonly text: string, private readonly opts: { uniqueKeys?: boolean; yaml11?: boolean }, fast: FastDocument[]) {
    this.documents = fast.map((d, index) => new LazyDocument(this, d.value, index, d.range, d.rawAnnotations));
  }

  get lines(): LineCounter {
    return this.load().lines;
  }

  /** scalarFacts of a document, from the fast reader (read again, noting them) while the `yaml` package's parse is not made. */
  scalarFacts(docIndex: number): ScalarFacts | undefined {
    if (this.full) return undefined;
    this.facts ??= fastParseYaml(this.text, fastOptions(this.text, this.opts, true))?.map((d) => d.facts) ?? [];
    return this.facts[docIndex];
  }

  /** The `yaml` package's parse of the same text (it reads it without error: the fast reader only reads such texts). */
  load(): ParsedFile {
    if (!this.full) {
      const full = parseYamlFileFull(this.path, this.text, this.opts);
      if (full.documents.length !== this.documents.length) throw new Error(`fastyaml: ${this.path}: ${this.documents.length} documents, the yaml package reads ${full.documents.length}`);
      this.full = full;
    }
    return this.full;
  }
}

class LazyDocument implements ParsedDocument {
  constructor(private readonly file: LazyFile, public value: JsonValue, readonly index: number, public range: Range, public rawAnnotations: Map<string, [string, JsonValue]> | undefined) {}

  get doc(): Document.Parsed {
    return this.file.load().documents[this.index]!.doc;
  }
}

/** parseYamlFile through the `yaml` package only (the reference the fast reader is tested against). */
export function parseYamlFileFull(path: string, text: string, opts: { uniqueKeys?: boolean; yaml11?: boolean } = {}): ParsedFile {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, merge: true, uniqueKeys: opts.uniqueKeys ?? true, prettyErrors: false, ...(opts.yaml11
    // go-yaml v2 (kustomization files): YAML 1.1 booleans (yes/no/on/off), but timestamps stay strings.
    ? { version: '1.1' as const, customTags: v2Tags }
    : { customTags: v3Tags }) });
  const list = Array.isArray(docs) ? docs : [];
  if (!text.endsWith('\n')) keepNoFinalBreak(list[list.length - 1], text.length);
  if (!opts.yaml11 && text.includes('>')) for (const d of list) roundTripFolded(d);
  const raw = new Map<Document.Parsed, Map<string, [string, JsonValue]>>();
  if (!opts.yaml11 && text.includes('annotations')) for (const d of list) { const m = annotationsAsText(d); if (m) raw.set(d, m); }
  const documents: ParsedDocument[] = [];
  list.forEach((doc, index) => {
    const err = doc.errors[0];
    if (err) {
      const range = toRange(lines, err.pos[0], err.pos[1]);
      throw new KustomizeError(`${path}: yaml: line ${range.start.line + 1}: ${firstLine(err.message)}`, { file: path, range });
    }
    let value: JsonValue;
    try {
      value = (doc.toJS({ maxAliasCount: 10000 }) ?? null) as JsonValue;
    } catch (e) {
      throw new KustomizeError(`${path}: ${(e as Error).message}`, { file: path });
    }
    const node = doc.contents as Node | null;
    const r = node?.range ?? [0, 0, 0];
    documents.push({ value, index, range: toRange(lines, r[0], r[1]), doc, rawAnnotations: raw.get(doc) });
  });
  return { path, text, documents, lines };
}

/**
 * go-yaml gives a block scalar that ends the file without a final line break no trailing `\n`
 * (there is no break to keep); the yaml package adds one. The last document's scalar that runs to
 * the end of the text loses it again.
 */
function keepNoFinalBreak(doc: Document.Parsed | undefined, end: number): void {
  if (!doc) return;
  visit(doc, {
    Scalar(_key, node) {
      if ((node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') && node.range?.[1] === end && typeof node.value === 'string' && node.value.endsWith('\n')) {
        node.value = node.value.slice(0, -1);
      }
    },
  });
}

export type { ScalarFacts } from './resource';

export function scalarFacts(file: ParsedFile, docIndex: number): ScalarFacts {
  const fast = file instanceof LazyFile ? file.scalarFacts(docIndex) : undefined;
  if (fast) return fast;
  const out: ScalarFacts = { empty: new Set(), quoted: new Set(), plainText: new Map() };
  const walk = (node: unknown, path: string[]): void => {
    if (!isMap(node)) return;
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const p = [...path, String(pair.key.value)];
      const v = pair.value;
      if (!isScalar(v)) { walk(v, p); continue; }
      const key = p.join('\u0000');
      if (v.type === 'PLAIN') {
        if (v.value === null && v.source === '') out.empty.add(key);
        else if (typeof v.value !== 'string' && v.source !== undefined) out.plainText.set(key, v.source);
      } else if (v.type) out.quoted.add(key);
    }
  };
  walk(file.documents[docIndex]?.doc.contents, []);
  return out;
}

/** Folded scalars of a resource as kustomize's output step gives them back (goyaml.foldedRoundTrip). */
function roundTripFolded(doc: Document.Parsed): void {
  visit(doc, {
    Scalar(_key, node) {
      if (node.type === 'BLOCK_FOLDED' && typeof node.value === 'string') node.value = foldedRoundTrip(node.value);
    },
  });
}

/**
 * kustomize reads an object's annotations as the text of each value (kyaml's GetAnnotations) and
 * writes them back as strings: `2001-12-14`, `0755`, `True`, `null`, `~` keep their spelling,
 * an empty value is "", and a list or map is "".
 */
function annotationsAsText(doc: Document.Parsed): Map<string, [string, JsonValue]> | undefined {
  const meta = isMap(doc.contents) ? doc.contents.get('metadata', true) : undefined;
  const ann = isMap(meta) ? meta.get('annotations', true) : undefined;
  if (!isMap(ann)) return undefined;
  let raw: Map<string, [string, JsonValue]> | undefined;
  for (const pair of ann.items) {
    const v = pair.value;
    if (isScalar(v)) {
      const text = v.source ?? String(v.value);
      if (v.type === 'PLAIN' && !v.tag && v.value !== text) {
        (raw ??= new Map()).set(isScalar(pair.key) ? String(pair.key.value) : String(pair.key), [text, v.value as JsonValue]);
        v.value = text;
      }
    } else if (v) pair.value = new Scalar('');
  }
  return raw;
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}

/** The source range of the node at `path` (keys and list indexes) inside a parsed document. */
export function rangeOfPath(file: ParsedFile, docIndex: number, path: (string | number)[], which: 'key' | 'value' = 'value'): Range | undefined {
  const d = file.documents[docIndex];
  if (!d) return undefined;
  let node: unknown = d.doc.contents;
  let keyNode: unknown;
  for (const seg of path) {
    if (isMap(node)) {
      const keyOf = (p: { key: unknown }) => (isScalar(p.key) ? String(p.key.value) : String(p.key));
      // A kustomization's keys match their fields case-insensitively (Go's decoder): `nameprefix` is where `namePrefix` is.
      const pair = node.items.find((p) => keyOf(p) === String(seg)) ?? node.items.find((p) => foldName(keyOf(p)) === foldName(String(seg)));
      if (!pair) return undefined;
      keyNode = pair.key;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      keyNode = node;
    } else return undefined;
  }
  const target = (which === 'key' ? keyNode ?? node : node ?? keyNode) as { range?: [number, number, number] } | undefined;
  if (!target?.range) return undefined;
  return toRange(file.lines, target.range[0], target.range[1]);
}

/** Serializes resources as `kustomize build` prints them. */
export function toYamlStream(objects: JsonObject[]): string {
  return objects.map((o) => toYaml(o)).join('---\n');
}

export function toYaml(o: JsonValue): string {
  return writeYaml(o);
}
