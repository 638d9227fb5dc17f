// Go to definition and find references:
//  - a path in a kustomization -> the file (or the folder's kustomization);
//  - a patch document -> the base documents it patches;
//  - images[].name -> the containers that use the image;
//  - references on a base document -> the patches and kustomization entries that change it.

import path from 'node:path';
import type { Location, Position } from 'vscode-languageserver';
import { rangeOfPath } from '../engine/index';
import { isKustomizationFile, kustomizationFileIn, type Root } from '../workspace/roots';
import { nodeAt, offsetAt } from '../workspace/yaml-position';
import type { WorkspaceView } from '../workspace/view';
import { envRenders, location, patchTargets, rootResources, textOf, valuesOf } from './common';

function samePath(a: (string | number)[], b: (string | number)[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function definition(ws: WorkspaceView, file: string, pos: Position): Location[] | null {
  const text = textOf(ws, file);
  if (text === undefined) return null;
  const at = nodeAt(text, offsetAt(text, pos));
  if (!at) return null;
  if (isKustomizationFile(file)) {
    const root = ws.roots.get(path.dirname(file));
    if (!root) return null;
    const ref = root.refs.find((r) => samePath(r.yamlPath, at.path));
    if (ref) {
      const st = ws.host.stat(ref.abs);
      if (!st) return null;
      return [location(st === 'directory' ? kustomizationFileIn(ws.host, ref.abs) ?? ref.abs : ref.abs)];
    }
    if (at.path[0] === 'images' && at.path[2] === 'name' && typeof at.value === 'string') return imageUses(ws, root.dir, at.value);
    return null;
  }
  // A patch document: the documents it changes.
  const doc = valuesOf(text)[at.docIndex];
  const out = new Map<string, Location>();
  for (const { resource } of patchTargets(ws, file, doc)) {
    const l = location(resource.origin.source.file, resource.origin.source.range);
    out.set(`${l.uri}:${l.range.start.line}`, l);
  }
  return out.size ? [...out.values()] : null;
}

/** Containers whose image is `name` (any tag), in the sources of what the root renders. */
function imageUses(ws: WorkspaceView, dir: string, name: string): Location[] {
  const out = new Map<string, Location>();
  for (const r of rootResources(ws, dir)) {
    const text = textOf(ws, r.origin.source.file);
    if (text === undefined || r.origin.generator) continue;
    const lines = text.split('\n');
    const start = r.origin.source.range?.start.line ?? 0;
    const end = r.origin.source.range?.end.line ?? lines.length;
    for (let i = start; i <= end && i < lines.length; i++) {
      const m = lines[i]!.match(/^(\s*-?\s*image:\s*["']?)([^"'\s#]+)/);
      if (!m) continue;
      const img = m[2]!.replace(/@.*$/, '').replace(/:[^/:]*$/, '');
      if (img !== name) continue;
      const l = location(r.origin.source.file, { start: { line: i, character: m[1]!.length }, end: { line: i, character: m[1]!.length + m[2]!.length } });
      out.set(`${l.uri}:${i}`, l);
    }
  }
  return [...out.values()];
}

export function references(ws: WorkspaceView, file: string, pos: Position): Location[] | null {
  const text = textOf(ws, file);
  if (text === undefined || isKustomizationFile(file)) return null;
  const at = nodeAt(text, offsetAt(text, pos));
  if (!at) return null;
  const out = new Map<string, Location>();
  for (const { resources } of envRenders(ws, file)) {
    for (const r of resources) {
      if (r.origin.source.file !== file || (r.origin.docIndex ?? 0) !== at.docIndex) continue;
      for (const changes of r.fieldOrigins.values()) {
        for (const c of changes) {
          if (c.source.file === file) continue;
          const l = location(c.source.file, c.source.range);
          out.set(`${l.uri}:${l.range.start.line}:${l.range.start.character}`, l);
        }
      }
    }
  }
  // Kustomizations that list this file.
  for (const root of ws.rootsReferencing(file)) {
    for (const ref of root.refs) if (ref.abs === file && root.parsed) {
      const l = location(root.file, undefined);
      out.set(`${l.uri}:${ref.yamlPath.join('.')}`, { ...l, range: rangeOr(root, ref.yamlPath) });
    }
  }
  return [...out.values()];
}

function rangeOr(root: Root, p: (string | number)[]) {
  return (root.parsed && rangeOfPath(root.parsed, root.docIndex, p, 'value')) ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}
