// Producing and reading the extension's .vsix, for the package test and the e2e tests.
//
// makeVsix() runs `npm run package` (build, then `vsce package`). While the client
// (client/src/extension.ts) is not written yet there is no dist/client.js, and vsce refuses a
// manifest whose `main` is missing; then makeVsix() packages a staged copy of the same files
// whose manifest has no `main` (a contributions-only extension: grammars), and says so.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout + r.stderr;
}

/**
 * Builds the .vsix. Returns { vsix, withoutMain, reason, log }: `withoutMain` is true when the
 * client does not exist yet and the package was made from a staged copy without `main`.
 */
export function makeVsix() {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const name = `${manifest.name}-${manifest.version}.vsix`;
  const hasClient = fs.existsSync(path.join(ROOT, 'client/src/extension.ts'));
  if (hasClient) {
    const log = run('npm', ['run', '--silent', 'package'], ROOT);
    return { vsix: path.join(ROOT, name), withoutMain: false, reason: '', log };
  }
  const reason = 'client/src/extension.ts does not exist yet, so there is no dist/client.js and vsce refuses '
    + "the manifest's main; packaged a staged copy without main (and activationEvents) instead";
  let log = run('npm', ['run', '--silent', 'build'], ROOT);
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-lens-vsix-'));
  try {
    for (const f of ['README.md', 'LICENSE', 'CHANGELOG.md', '.vscodeignore', 'icon.png']) {
      if (fs.existsSync(path.join(ROOT, f))) fs.copyFileSync(path.join(ROOT, f), path.join(stage, f));
    }
    for (const d of ['dist', 'syntaxes']) fs.cpSync(path.join(ROOT, d), path.join(stage, d), { recursive: true });
    delete manifest.main;
    delete manifest.activationEvents; // vsce: activationEvents need a main
    fs.writeFileSync(path.join(stage, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
    const vsce = path.join(ROOT, 'node_modules/.bin/vsce');
    const out = path.join(ROOT, name);
    log += run(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--out', out], stage);
    return { vsix: out, withoutMain: true, reason, log };
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

/** The entries of a zip file: name -> { size, read() } (stored and deflated entries). */
export function readZip(file) {
  const buf = fs.readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error(`${file}: not a zip (no end of central directory)`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries = new Map();
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${n}`);
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    entries.set(name, {
      size,
      read() {
        const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
        const data = buf.subarray(start, start + compressed);
        if (method === 0) return Buffer.from(data);
        if (method === 8) return zlib.inflateRawSync(data);
        throw new Error(`${name}: compression method ${method}`);
      },
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}
