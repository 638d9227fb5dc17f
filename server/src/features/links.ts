// Document links: every path in a kustomization opens the file, or the kustomization of a folder.

import type { DocumentLink } from 'vscode-languageserver';
import { rangeOfPath } from '../engine/index';
import { isKustomizationFile, kustomizationFileIn } from '../workspace/roots';
import { pathToUri } from '../workspace/uri';
import type { WorkspaceView } from '../workspace/view';

export function documentLinks(ws: WorkspaceView, file: string): DocumentLink[] | null {
  if (!isKustomizationFile(file)) return null;
  const root = [...ws.roots.values()].find((r) => r.file === file);
  if (!root?.parsed || root.syntaxError) return [];
  const out: DocumentLink[] = [];
  for (const ref of root.refs) {
    const st = ws.host.stat(ref.abs);
    if (!st) continue;
    const range = rangeOfPath(root.parsed, root.docIndex, ref.yamlPath, 'value');
    if (!range) continue;
    const target = st === 'directory' ? kustomizationFileIn(ws.host, ref.abs) ?? ref.abs : ref.abs;
    out.push({ range, target: pathToUri(target), tooltip: st === 'directory' ? `Open ${ref.pathText}'s kustomization` : `Open ${ref.pathText}` });
  }
  return out;
}
