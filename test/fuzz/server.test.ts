// Seeded robustness fuzzing of the language server: one server process (test/server/lsp.ts's
// Client) on a workspace with the 'full' seed tree, fed FUZZ_SERVER_EDITS (default 200) mutated
// texts of kustomization.yaml and deployment.yaml by didChange, settling every few edits and
// sending hover / completion / definition / references / document links / code actions / render
// requests at random positions. The server must stay alive and answer, log no failure
// ("… failed: <stack>" in window/logMessage, anything on stderr), and report no "internal error
// while rendering" (an exception other than a KustomizeError escaping the engine).
//
//   FUZZ_SEED=123 FUZZ_SERVER_EDITS=1000 node --import tsx --test test/fuzz/server.test.ts

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import type { RenderResult } from '../../server/src/protocol';
import { Client, ensureBuilt, fixture } from '../server/lsp';
import { caseRng, describeTree, mutateText, runSeed, show, structural } from './mutate';
import { reproDir, writeTree } from './report';
import { SEEDS } from './seeds';

const SEED = runSeed();
const EDITS = Math.max(1, Number(process.env.FUZZ_SERVER_EDITS) || 200);
const SETTLE_EVERY = Math.max(1, Number(process.env.FUZZ_SERVER_SETTLE_EVERY) || 2);
const SALT = 0x5e7e;

before(() => ensureBuilt());

interface Problem { key: string; step: number; message: string; texts: Record<string, string>; edits: string[] }

describe(`language server fuzz (seed ${SEED})`, () => {
  it(`${EDITS} mutated buffers: the server stays alive, answers, logs no exception`, { timeout: 10 * 60_000 }, async () => {
    const seed = SEEDS.find((s) => s.name === 'full')!;
    const f = fixture(Object.entries(seed.files).map(([p, t]) => `//- /ws/${p}\n${t}`).join(''));
    // The fixture parser strips a `|` cursor marker; write the seed files again byte for byte.
    for (const [p, t] of Object.entries(seed.files)) fs.writeFileSync(f.path(`ws/${p}`), t);
    const c = await Client.start([f.path('ws')], { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --enable-source-maps`.trim() });
    const files = ['app/kustomization.yaml', 'app/deployment.yaml'];
    const texts: Record<string, string> = Object.fromEntries(files.map((p) => [p, seed.files[p]!]));
    const edits: string[] = [];
    const problems: Problem[] = [];
    const seen = new Set<string>();
    const note = (key: string, step: number, message: string) => {
      if (seen.has(`${key}\0${message}`)) return;
      seen.add(`${key}\0${message}`);
      problems.push({ key, step, message, texts: { ...texts }, edits: edits.slice(-6) });
    };
    let logSeen = 0;
    let stderrSeen = 0;
    const check = (step: number) => {
      const logs = c.notifications.slice(logSeen);
      logSeen = c.notifications.length;
      for (const n of logs) {
        const p = n.params as { type?: number; message?: string; error?: { message?: string } };
        if (n.method === 'window/logMessage' && (p.type === 1 || / failed: |\n\s+at /.test(p.message ?? ''))) {
          const msg = p.message ?? '';
          const frame = /((?:server\/src|node_modules)\/[^\s):]+:\d+)/.exec(msg)?.[1] ?? '';
          note(`server log: ${msg.split('\n')[0]!.replace(/ of \/\S+/, ' of <file>').replace(/: .*/, '')}${frame ? ` at ${frame}` : ''}`, step, msg.slice(0, 1500));
        }
        if (n.method === 'gitopsLens/didRender' && /internal error/.test(p.error?.message ?? '')) {
          note(`internal error while rendering: ${p.error!.message!.replace(/^internal error while rendering: /, '').replace(/\d+/g, 'N').slice(0, 120)}`, step, p.error!.message!);
        }
      }
      const err = c.errors().slice(stderrSeen);
      stderrSeen = c.errors().length;
      if (err.trim()) note(`server stderr: ${err.split('\n')[0]!.slice(0, 120)}`, step, err.slice(0, 1500));
      for (const [uri, diags] of c.diagnostics) {
        for (const d of diags as Diagnostic[]) {
          if (/internal error/.test(d.message)) note(`internal error while rendering: ${d.message.replace(/^internal error while rendering: /, '').replace(/\d+/g, 'N').slice(0, 120)}`, step, `${path.basename(uri)}: ${d.message}`);
        }
      }
      if (!c.alive()) note('server process exited', step, `exit code ${c.child.exitCode}; stderr:\n${c.errors().slice(-2000)}`);
    };
    try {
      for (const p of files) await c.open(f.uri(`ws/${p}`), texts[p]!);
      await c.settled();
      for (let step = 0; step < EDITS && c.alive(); step++) {
        const rng = caseRng(SEED, step, SALT);
        const p = rng() < 0.6 ? files[0]! : files[1]!;
        // Mostly a fresh mutation of the seed text, sometimes one on top of the current buffer.
        let text = rng() < 0.75 ? seed.files[p]! : texts[p]!;
        const what: string[] = [];
        for (let m = rng() < 0.3 ? 2 : 1; m > 0; m--) { const r = rng() < 0.4 ? structural(rng, text, p) : mutateText(rng, text, p); text = r.text; what.push(r.what); }
        if (text.length > 4_000_000) text = text.slice(0, 4_000_000);
        texts[p] = text;
        edits.push(`step ${step}: ${what.join('; ')}`);
        const uri = f.uri(`ws/${p}`);
        await c.change(uri, text);
        if (step % SETTLE_EVERY !== SETTLE_EVERY - 1) continue;
        try { await c.settled(20_000); } catch (e) { note('server did not settle within 20 s', step, String(e)); break; }
        // A request at a random position of the buffer just edited.
        const lines = text.split('\n');
        const line = Math.floor(rng() * lines.length);
        const position = { line, character: Math.floor(rng() * ((lines[line]?.length ?? 0) + 1)) };
        const doc = { textDocument: { uri }, position };
        const reqs: [string, unknown][] = [
          ['textDocument/hover', doc], ['textDocument/completion', doc], ['textDocument/definition', doc],
          ['textDocument/references', { ...doc, context: { includeDeclaration: true } }], ['textDocument/documentLink', { textDocument: { uri } }],
          ['textDocument/codeAction', { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics: c.diagnostics.get(uri) ?? [] } }],
          ['gitopsLens/render', { environment: 'app' }],
        ];
        const [method, params] = reqs[Math.floor(rng() * reqs.length)]!;
        try {
          await Promise.race([c.request(method, params), new Promise((_, rej) => setTimeout(() => rej(new Error('no answer within 20 s')), 20_000))]);
        } catch (e) {
          note(`${method} failed`, step, String((e as Error).message ?? e));
        }
        check(step);
      }
      check(EDITS);
      // Back to the seed texts: the server recovers and renders the environment again.
      for (const p of files) { texts[p] = seed.files[p]!; await c.change(f.uri(`ws/${p}`), texts[p]!); }
      await c.settled(20_000);
      const r = await c.request<RenderResult>('gitopsLens/render', { environment: 'app' });
      assert.ok(r && !r.error, `render after recovery: ${JSON.stringify(r?.error)}`);
      assert.match(r.yaml, /name: p-web-s/, 'the environment renders again');
      // Answered at all is what counts.
      await c.request('textDocument/hover', { textDocument: { uri: f.uri('ws/app/kustomization.yaml') }, position: { line: 12, character: 3 } });
      check(EDITS + 1);
      assert.ok(c.alive(), `server exited: ${c.errors()}`);
    } finally {
      await c.stop();
    }
    if (problems.length) {
      const byKey = new Map<string, Problem[]>();
      for (const p of problems) { const l = byKey.get(p.key) ?? []; l.push(p); byKey.set(p.key, l); }
      const out = [`language server fuzz: ${byKey.size} distinct problem class(es) in ${EDITS} edits; seed ${SEED}`,
        `reproduce: FUZZ_SEED=${SEED} FUZZ_SERVER_EDITS=${EDITS} node --import tsx --test test/fuzz/server.test.ts`];
      let n = 0;
      for (const [key, list] of byKey) {
        const first = list[0]!;
        const dir = path.join(reproDir(SEED, 'server'), `class-${++n}-step-${first.step}`);
        try { writeTree(dir, { ...seed.files, ...first.texts }); } catch { /* reporting only */ }
        out.push('', `[${n}] ${key} — first at step ${first.step} (${list.length} distinct message(s))`,
          ...first.message.split('\n').slice(0, 10).map((l) => `    | ${l.slice(0, 300)}`),
          `    last edits before it:`, ...first.edits.map((e) => `      - ${e}`),
          `    buffers then (tree on disk: ${dir}):`, ...describeTree(first.texts, 500).split('\n').slice(0, 30).map((l) => `      ${l}`));
      }
      assert.fail(out.join('\n'));
    }
    console.log(`language server fuzz: seed ${SEED}, ${EDITS} edits, no problems (last: ${show(edits[edits.length - 1])})`);
  });
});
