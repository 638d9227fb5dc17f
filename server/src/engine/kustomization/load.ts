// Finds, parses and validates a kustomization file the way kustomize does (unknown fields and wrong
// types are errors with kustomize's wording), keeping the source ranges of every entry for origins.

import type { FileHost } from '../host';
import { join } from '../path';
import { goJsonType, isObject, KustomizeError, lazySource, type JsonObject, type JsonValue, type SourceRef } from '../resource';
import { rangeOfPath, type ParsedFile } from '../yamlio';
import { formatGoG } from '../goyaml';
import { fieldOf, kustomizationType, type FieldType, type ObjectType } from './schema';
import type { KustomizationFields } from './types';

export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export interface Kustomization extends KustomizationFields {
  /** The folder (absolute) and the file. */
  dir: string;
  file: string;
  kind: 'Kustomization' | 'Component';
  parsed: ParsedFile;
  /** Where an entry of the kustomization is, e.g. source(['images', 0]). */
  source(path: (string | number)[]): SourceRef;
}

/** The kustomization file of a folder, or an error worded as kustomize words it. */
export function findKustomizationFile(host: Pick<FileHost, 'stat'>, dir: string): string {
  const found = KUSTOMIZATION_FILE_NAMES.filter((n) => host.stat(join(dir, n)) === 'file');
  if (found.length === 0) {
    throw new KustomizeError(`unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '${dir}'`, { file: dir });
  }
  if (found.length > 1) throw new KustomizeError(`Found multiple kustomization files under: ${dir}`, { file: join(dir, found[1]!) });
  return join(dir, found[0]!);
}

export function kustomizationFrom(parsed: ParsedFile, dir: string): Kustomization {
  const file = parsed.path;
  const first = parsed.documents.find((d) => d.value !== null);
  const raw: JsonValue = first ? first.value : {};
  const docIndex = first?.index ?? 0;
  const source = (path: (string | number)[]): SourceRef => lazySource(() => ({ file, range: rangeOfPath(parsed, docIndex, path) ?? (path.length ? rangeOfPath(parsed, docIndex, path.slice(0, -1)) : undefined) }));
  if (!isObject(raw)) {
    throw new KustomizeError(`invalid Kustomization: json: cannot unmarshal ${goJsonType(raw)} into Go value of type types.Kustomization`, source([]));
  }
  const problem = kustomizationProblems(raw)[0];
  if (problem) throw new KustomizeError(`invalid Kustomization: json: ${problem.message}`, source(problem.path));

  const fields = canonicalFields(raw, kustomizationType) as JsonObject;
  const k = { ...(fields as KustomizationFields) } as Kustomization;
  const kind = (fields.kind as string | undefined) || 'Kustomization';
  const errs: string[] = [];
  if (kind !== 'Kustomization' && kind !== 'Component') errs.push('kind should be Kustomization or Component');
  const required = kind === 'Component' ? 'kustomize.config.k8s.io/v1alpha1' : 'kustomize.config.k8s.io/v1beta1';
  if (fields.apiVersion !== undefined && fields.apiVersion !== '' && fields.apiVersion !== required) errs.push(`apiVersion for ${kind} should be ${required}`);
  if (errs.length) {
    const at = errs[0]!.startsWith('kind') ? 'kind' : 'apiVersion';
    throw new KustomizeError(`Failed to read kustomization file under ${dir}:\n${errs.join('\n')}`, source([at]));
  }
  const meaningful = Object.keys(fields).filter((key) => key !== 'apiVersion' && key !== 'kind' && fields[key] !== null);
  if (meaningful.length === 0) throw new KustomizeError('kustomization.yaml is empty', source([]));

  k.dir = dir;
  k.file = file;
  k.kind = kind as 'Kustomization' | 'Component';
  k.parsed = parsed;
  k.source = source;
  return k;
}

function goType(t: FieldType): string {
  switch (t.t) {
    case 'string': return 'string';
    case 'bool': return 'bool';
    case 'int': return 'int';
    case 'any': return 'interface {}';
    case 'list': return `[]${goType(t.of)}`;
    case 'map': return `map[string]${goType(t.of)}`;
    case 'object': return `types.${t.name}`;
  }
}

/** A place in a kustomization that Go's strict JSON decoder would refuse. */
export interface KustomizationProblem {
  /** kustomize's wording, after `invalid Kustomization: json: `. */
  message: string;
  /** Where, as keys and list indexes from the document root. */
  path: (string | number)[];
  code: 'unknown-field' | 'schema';
}

/**
 * Every field of a decoded kustomization that kustomize would refuse (unknown fields, wrong types),
 * in document order. kustomize stops at the first; an editor wants them all.
 */
export function kustomizationProblems(raw: JsonObject): KustomizationProblem[] {
  const out: KustomizationProblem[] = [];
  checkType(raw, kustomizationType, 'Kustomization', [], out);
  return out;
}

function checkType(v: JsonValue, t: FieldType, where: string, path: (string | number)[], out: KustomizationProblem[]): void {
  if (v === null) return;
  const mismatch = () => out.push({ message: `cannot unmarshal ${goJsonType(v)} into Go struct field ${where} of type ${goType(t)}`, path, code: 'schema' });
  switch (t.t) {
    case 'any': return;
    case 'string': if (typeof v !== 'string') mismatch(); return;
    case 'bool': if (typeof v !== 'boolean') mismatch(); return;
    case 'int': if (typeof v !== 'number' || !Number.isInteger(v)) mismatch(); return;
    case 'list':
      if (!Array.isArray(v)) mismatch();
      else v.forEach((x, i) => checkType(x as JsonValue, t.of, where, [...path, i], out));
      return;
    case 'map':
      if (!isObject(v)) mismatch();
      else for (const [k, x] of Object.entries(v)) checkType(x, t.of, where, [...path, k], out);
      return;
    case 'object':
      if (!isObject(v)) { mismatch(); return; }
      for (const [k, x] of Object.entries(v)) {
        const fd = fieldOf(t, k);
        if (!fd) out.push({ message: `unknown field "${k}"`, path: [...path, k], code: 'unknown-field' });
        else checkType(x, fd.doc.type, `${t.name}.${fd.name}`, [...path, k], out);
      }
  }
}

/**
 * The decoded kustomization with every key spelled as its field is (`nameprefix` → `namePrefix`), as
 * Go's decoder fills the struct. Of two keys for one field the later wins, as in Go; objects met
 * twice merge field by field, as Go decodes into the struct it already filled.
 */
function canonicalFields(v: JsonValue, t: FieldType): JsonValue {
  if (v === null) return v;
  // A null list item decodes to its type's zero value (`resources: [~]` is `[""]` to kustomize).
  if (t.t === 'list' && Array.isArray(v)) return v.map((x) => (x === null ? zeroValue(t.of) : canonicalFields(x as JsonValue, t.of)));
  if (t.t === 'map' && isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, canonicalFields(x, t.of)]));
  if (t.t !== 'object' || !isObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) {
    const fd = fieldOf(t, k);
    // A null field leaves the Go field as it was (its zero value, or an earlier spelling's value).
    if (!fd || x === null) continue;
    const value = canonicalFields(x, fd.doc.type);
    const prev = out[fd.name];
    out[fd.name] = (fd.doc.type.t === 'object' || fd.doc.type.t === 'map') && isObject(prev) && isObject(value) ? { ...prev, ...value } : value;
  }
  return out;
}

/**
 * A builtin plugin's configuration (a `generators:`/`transformers:` entry) decoded as kustomize
 * decodes it: sigs.k8s.io/yaml with the plugin's struct as the target, so unknown fields are ignored,
 * keys match their fields case-insensitively, and a number or bool where a string is wanted becomes
 * its text (`literals: [0]` is `["0"]`). Other mismatches fail with Go's words.
 */
export function decodePluginConfig(raw: JsonObject, t: ObjectType, where: string): JsonObject {
  const out: JsonObject = { ...raw };
  for (const [k, x] of Object.entries(raw)) {
    const fd = fieldOf(t, k);
    if (!fd) continue;
    delete out[k];
    if (x !== null) out[fd.name] = coerce(x, fd.doc.type, `${where}.${fd.name}`);
  }
  return out;
}

function coerce(v: JsonValue, t: FieldType, where: string): JsonValue {
  if (v === null) return zeroValue(t);
  const fail = (): never => { throw new KustomizeError(`json: cannot unmarshal ${goJsonType(v)} into Go struct field ${where} of type ${goType(t)}`); };
  switch (t.t) {
    case 'any': return v;
    case 'string':
      if (typeof v === 'string') return v;
      if (typeof v === 'boolean') return v ? 'true' : 'false';
      if (typeof v === 'number') return Number.isInteger(v) ? String(v) : float32Text(v);
      return fail();
    case 'bool': return typeof v === 'boolean' ? v : fail();
    case 'int': return typeof v === 'number' && Number.isInteger(v) ? v : fail();
    case 'list': return Array.isArray(v) ? v.map((x) => coerce(x as JsonValue, t.of, where)) : fail();
    case 'map': return isObject(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, coerce(x, t.of, where)])) : fail();
    case 'object': return isObject(v) ? decodePluginConfig(v, t, t.name) : fail();
  }
}

/** Go's strconv.FormatFloat(f, 'g', -1, 32): the shortest text that reads back as the same float32. */
function float32Text(v: number): string {
  const f = Math.fround(v);
  for (let p = 1; p <= 9; p++) {
    const text = f.toPrecision(p);
    if (Math.fround(Number(text)) === f) return formatGoG(Number(text));
  }
  return String(f);
}

/** Go's zero value of a field type, as a JSON null decodes into it. */
function zeroValue(t: FieldType): JsonValue {
  switch (t.t) {
    case 'string': return '';
    case 'int': return 0;
    case 'bool': return false;
    case 'object': return {};
    default: return null;
  }
}

export type { JsonObject };
