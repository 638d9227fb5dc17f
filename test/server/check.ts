// In-process feature tests at the feature boundary (rust-analyzer's check(fixture, expect)): a
// fixture is one text of files, each after a `//- /path` line, with an optional `$0` cursor; it is
// loaded into a Workspace on memoryIO (no disk, no server process), rendered, and a feature's answer
// is printed as text (diagnostics as `file:line: severity code: message`, hovers as markdown,
// completion labels one per line) and compared whole with the expectation.
//
// Case files (`test/server/cases/<feature>/*.fixture`) hold the fixture and, after a line
// `//= <what>`, the expected text. UPDATE_EXPECT=1 writes what the feature answers now into them;
// review the change with git diff.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Diagnostic, Position } from 'vscode-languageserver';
import { diagnosticsFor } from '../../server/src/features/diagnostics';
import type { ServerSettings } from '../../server/src/protocol';
import { memoryIO } from '../../server/src/workspace/memory-io';
import { readSettings } from '../../server/src/workspace/settings';
import { Workspace } from '../../server/src/workspace/workspace';

export const UPDATE = process.env.UPDATE_EXPECT === '1';
export const CURSOR = '$0';

export interface Fixture {
  /** Text of each file, by absolute path. */
  files: Record<string, string>;
  cursor?: { file: string; position: Position };
}

/** Parses `//- /path` sections; a `$0` in a file is the cursor (removed from the text). */
export function parseFixture(spec: string): Fixture {
  const files: Record<string, string> = {};
  let cursor: Fixture['cursor'];
  for (const part of spec.split(/^\/\/- /m).slice(1)) {
    const nl = part.indexOf('\n');
    const name = part.slice(0, nl).trim();
    let text = part.slice(nl + 1);
    const at = text.indexOf(CURSOR);
    if (at >= 0) {
      const before = text.slice(0, at).split('\n');
      cursor = { file: name, position: { line: before.length - 1, character: before[before.length - 1]!.length } };
      text = text.slice(0, at) + text.slice(at + CURSOR.length);
    }
    files[name] = text;
  }
  return { files, cursor };
}

/** The fixture's workspace (folder /ws), rendered and idle. */
export async function workspaceOf(fixture: Fixture, settings?: Partial<ServerSettings>): Promise<Workspace> {
  const ws = new Workspace(memoryIO(fixture.files), { debounceMs: 0 });
  ws.configure(readSettings(settings ?? {}));
  ws.addFolder('file:///ws', '/ws', 'ws');
  if (ws.settings.crdLocations.length) await ws.loadCrdLocations();
  ws.renderAll();
  await ws.idle();
  return ws;
}

const SEVERITY = ['', 'error', 'warning', 'info', 'hint'];

/** One diagnostic as a line: `file:line: severity code: message` (the path without its leading slash). */
export function diagnosticLine(file: string, d: Diagnostic): string {
  return `${file.replace(/^\//, '')}:${d.range.start.line + 1}: ${SEVERITY[d.severity ?? 1]} ${d.code ?? ''}: ${d.message}`;
}

/** Every file's diagnostics, as the server would publish them, sorted. */
export function allDiagnostics(ws: Workspace, files: Iterable<string>): string {
  const out: string[] = [];
  for (const f of files) for (const d of diagnosticsFor(ws, f)) out.push(diagnosticLine(f, d));
  return out.sort().join('\n');
}

export interface Case { name: string; file: string; fixture: string; expect: string; what: string }

/** The case files of a folder: the fixture, then `//= what` and the expected text. */
export function readCases(dir: string): Case[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.fixture')).sort().map((f) => {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    const m = /^\/\/= (.*)\n/m.exec(text);
    if (!m) throw new Error(`${f}: no '//= <what>' line before the expectation`);
    const head = text.slice(0, m.index);
    const title = /^# (.*)$/m.exec(head.split(/^\/\/- /m)[0] ?? '');
    return { name: title?.[1] ?? f, file: path.join(dir, f), fixture: head, what: m[1]!.trim(), expect: text.slice(m.index + m[0].length).replace(/\n$/, '') };
  });
}

/** Compares `actual` with the case's expectation whole; in update mode, writes it instead. */
export function expectCase(c: Case, actual: string): void {
  if (UPDATE) {
    if (actual !== c.expect) fs.writeFileSync(c.file, `${c.fixture}//= ${c.what}\n${actual}\n`);
    return;
  }
  assert.equal(actual, c.expect, `${path.basename(c.file)} (UPDATE_EXPECT=1 rewrites it; review with git diff)`);
}
