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
import { Workspace, type WorkspaceOptions } from '../../server/src/workspace/workspace';
import type { MemoryHost } from '../../server/src/engine/index';

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

export interface WorkspaceSetup {
  settings?: Partial<ServerSettings>;
  /** Workspace folders (default /ws). */
  folders?: string[];
  /** Runs on the in-memory tree before the folders are added (a `.git` folder, say). */
  files?(files: MemoryHost): void;
  options?: WorkspaceOptions;
}

/** The fixture's workspace, rendered and idle. */
export async function workspaceOf(fixture: Fixture, setup: WorkspaceSetup = {}): Promise<Workspace> {
  const io = memoryIO(fixture.files);
  setup.files?.(io.files);
  const ws = new Workspace(io, { debounceMs: 0, ...setup.options });
  ws.configure(readSettings(setup.settings ?? {}));
  for (const f of setup.folders ?? ['/ws']) ws.addFolder(`file://${f}`, f, path.basename(f));
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

/**
 * An inline expectation: `` expect`...` `` in a test, compared whole with `check(actual, e)`. The
 * text is dedented (the first line break and the common indentation dropped). UPDATE_EXPECT=1
 * rewrites the literal in the test file with what `actual` is now.
 */
export interface Expect { text: string; file: string; line: number }

export function expect(strings: TemplateStringsArray): Expect {
  const frame = new Error().stack!.split('\n')[2] ?? '';
  const m = /\(?([^()\s]+):(\d+):\d+\)?$/.exec(frame);
  return { text: dedent(strings[0]!), file: m?.[1] ?? '', line: Number(m?.[2] ?? 0) };
}

function dedent(s: string): string {
  const lines = s.replace(/^\n/, '').replace(/\n[ \t]*$/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join('\n');
}

const pending = new Map<string, { line: number; text: string }[]>();

export function check(actual: string, e: Expect): void {
  if (!UPDATE) { assert.equal(actual, e.text, `${path.basename(e.file)}:${e.line} (UPDATE_EXPECT=1 rewrites it; review with git diff)`); return; }
  if (actual === e.text) return;
  // Rewritten at exit, from the last literal up, so earlier positions stay valid.
  if (!pending.size) process.on('exit', writePending);
  const list = pending.get(e.file) ?? [];
  list.push({ line: e.line, text: actual });
  pending.set(e.file, list);
}

function writePending(): void {
  for (const [file, list] of pending) {
    let src = fs.readFileSync(file, 'utf8');
    for (const { line, text } of [...list].sort((a, b) => b.line - a.line)) {
      let at = 0;
      for (let i = 1; i < line; i++) at = src.indexOf('\n', at) + 1;
      const open = src.indexOf('expect`', at);
      if (open < 0) continue;
      let close = open + 7;
      while (close < src.length && src[close] !== '`') close += src[close] === '\\' ? 2 : 1;
      const lineStart = src.lastIndexOf('\n', open) + 1;
      const indent = ' '.repeat(src.slice(lineStart, open).length - src.slice(lineStart, open).trimStart().length + 2);
      const escaped = text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
      const body = `\n${escaped.split('\n').map((l) => (l ? indent + l : l)).join('\n')}\n${indent.slice(2)}`;
      src = src.slice(0, open + 7) + body + src.slice(close);
    }
    fs.writeFileSync(file, src);
  }
}
