// Quick fixes: rewrite deprecated fields the way `kustomize edit fix` does (keeping the behaviour),
// create a missing file, add an unreferenced file to `resources`, fix a patch target's name.

import path from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type YAMLMap, type YAMLSeq, type Document } from 'yaml';
import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver';
import { kustomizationFields } from '../engine/index';
import { pathToUri } from '../workspace/uri';
import type { WorkspaceView } from '../workspace/view';
import { textOf } from './common';
import { varsToReplacements } from './vars-fix';

const FULL = (text: string): Range => {
  const lines = text.split('\n');
  return { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: lines[lines.length - 1]!.length } };
};

function rewrite(text: string, change: (doc: Document) => boolean): TextEdit | undefined {
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length || !isMap(doc.contents)) return undefined;
  if (!change(doc)) return undefined;
  return { range: FULL(text), newText: doc.toString({ indentSeq: false, lineWidth: 0 }) };
}

/** Moves the deprecated field into its replacement, as `kustomize edit fix` does. */
function fixDeprecated(text: string, field: string): TextEdit | undefined {
  return rewrite(text, (doc) => {
    const map = doc.contents as YAMLMap;
    const old = map.get(field, true) as unknown;
    if (old === undefined) return false;
    const list = (key: string): YAMLSeq => {
      const s = map.get(key, true) as unknown;
      if (isSeq(s)) return s as YAMLSeq;
      const seq = doc.createNode([]) as YAMLSeq;
      map.set(key, seq);
      return seq;
    };
    const items = isSeq(old) ? old.items : [];
    // Where it goes is the schema's (FieldDoc.deprecated); how each entry is rewritten is kustomize edit fix's.
    const instead = kustomizationFields[field]?.deprecated;
    if (!instead) return false;
    switch (field) {
      case 'bases': case 'imageTags': case 'patchesJson6902':
        for (const it of items) list(instead).add(it);
        break;
      case 'commonLabels': {
        if (!isMap(old)) return false;
        list(instead).add(doc.createNode({ pairs: old.toJSON(), includeSelectors: true }));
        break;
      }
      case 'patchesStrategicMerge':
        for (const it of items) {
          const v = isScalar(it) ? String(it.value) : '';
          list(instead).add(doc.createNode(v.includes('\n') ? { patch: v } : { path: v }));
        }
        break;
      default: return false;
    }
    map.delete(field);
    return true;
  });
}

function addToResources(text: string, entry: string): TextEdit | undefined {
  return rewrite(text, (doc) => {
    const map = doc.contents as YAMLMap;
    let s = map.get('resources', true) as unknown;
    if (!isSeq(s)) { s = doc.createNode([]); map.set('resources', s); }
    (s as YAMLSeq).add(entry);
    return true;
  });
}

function levenshtein(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)] as number[]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) {
    d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  }
  return d[a.length]![b.length]!;
}

export function codeActions(ws: WorkspaceView, file: string, _range: Range, diagnostics: Diagnostic[]): CodeAction[] {
  const text = textOf(ws, file);
  if (text === undefined) return [];
  const uri = pathToUri(file);
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    const data = (d.data ?? {}) as Record<string, unknown>;
    if (d.code === 'deprecated' && data.field === 'vars') {
      const conv = varsToReplacements(ws, file);
      const edit = conv.replacements ? rewrite(text, (doc) => {
        const map = doc.contents as YAMLMap;
        let seq = map.get('replacements', true) as unknown;
        if (!isSeq(seq)) { seq = doc.createNode([]); map.set('replacements', seq); }
        for (const r of conv.replacements!) (seq as YAMLSeq).add(doc.createNode(r));
        map.delete('vars');
        return true;
      }) : undefined;
      const title = "Rewrite 'vars' as 'replacements'";
      if (edit) out.push({ title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, edit: { changes: { [uri]: [edit] } } });
      else out.push({ title, kind: CodeActionKind.QuickFix, diagnostics: [d], disabled: { reason: conv.reason ?? 'cannot be rewritten faithfully' } });
    } else if (d.code === 'deprecated' && typeof data.field === 'string') {
      const edit = fixDeprecated(text, data.field);
      if (edit) out.push({ title: `Rewrite '${data.field}' as kustomize edit fix does`, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, edit: { changes: { [uri]: [edit] } } });
    } else if (d.code === 'missing-file' && typeof data.abs === 'string') {
      const abs = data.abs;
      if (data.expect === 'dir' || (data.expect === 'file-or-dir' && !/\.(ya?ml|json)$/.test(abs))) {
        const k = path.join(abs, 'kustomization.yaml');
        out.push({ title: `Create ${path.relative(path.dirname(file), k)}`, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: { documentChanges: [
          { kind: 'create', uri: pathToUri(k), options: { ignoreIfExists: true } },
          { textDocument: { uri: pathToUri(k), version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n' }] },
        ] } });
      } else {
        out.push({ title: `Create ${path.relative(path.dirname(file), abs)}`, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: { documentChanges: [{ kind: 'create', uri: pathToUri(abs), options: { ignoreIfExists: true } }] } });
      }
    } else if (d.code === 'unreferenced' && typeof data.kustomization === 'string' && typeof data.file === 'string') {
      const ktext = textOf(ws, data.kustomization);
      const edit = ktext !== undefined ? addToResources(ktext, path.relative(path.dirname(data.kustomization), data.file)) : undefined;
      if (edit) out.push({ title: `Add ${path.basename(data.file)} to resources of ${path.basename(data.kustomization)}`, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: { changes: { [pathToUri(data.kustomization)]: [edit] } } });
    } else if (d.code === 'selects-nothing' && Array.isArray(data.candidates) && typeof data.name === 'string') {
      const name = data.name;
      const best = (data.candidates as string[]).map((c) => ({ c, d: levenshtein(name, c) })).sort((a, b) => a.d - b.d).slice(0, 3);
      for (const { c } of best) {
        const yp = [...(data.yamlPath as (string | number)[]), 'name'];
        const edit = rewrite(text, (doc) => { doc.setIn(yp, c); return true; });
        if (edit) out.push({ title: `Change target name to '${c}'`, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: c === best[0]!.c, edit: { changes: { [uri]: [edit] } } });
      }
    }
  }
  return out;
}
