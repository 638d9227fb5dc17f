// A Git server on 127.0.0.1 for the remote-source tests: git's own smart HTTP server (`git
// http-backend`, from the git package) behind a small HTTP server, serving bare repositories made
// from trees given by the test (one commit per ref, tags and branches), plus plain files under
// /raw/. Every request is recorded, so a test can say nothing was asked.

import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

const BACKEND = execFileSync('git', ['--exec-path'], { encoding: 'utf8' }).trim() + '/git-http-backend';

/**
 * repos: { name: [{ ref: 'v1', tag: true, files: { 'base/kustomization.yaml': '...' } }, ...] }
 * (each ref's tree is committed on its own branch or tag, in order); raw: { 'extra.yaml': '...' }.
 */
export async function startGitServer({ repos = {}, raw = {} } = {}) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-lens-git-'));
  const git = (cwd, ...args) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com', GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' } });
  for (const [name, refs] of Object.entries(repos)) {
    const work = path.join(root, 'work', name);
    fs.mkdirSync(work, { recursive: true });
    git(work, 'init', '-q', '-b', 'main');
    for (const r of refs) {
      for (const f of fs.readdirSync(work)) if (f !== '.git') fs.rmSync(path.join(work, f), { recursive: true, force: true });
      for (const [rel, text] of Object.entries(r.files)) {
        fs.mkdirSync(path.dirname(path.join(work, rel)), { recursive: true });
        fs.writeFileSync(path.join(work, rel), text);
      }
      git(work, 'add', '-A');
      git(work, 'commit', '-q', '--allow-empty', '-m', r.ref);
      if (r.tag) git(work, 'tag', r.ref);
      else if (r.ref !== 'main') git(work, 'branch', '-f', r.ref);
    }
    git(root, 'clone', '-q', '--bare', work, path.join(root, 'srv', `${name}.git`));
  }
  const rawDir = path.join(root, 'raw');
  for (const [rel, text] of Object.entries(raw)) {
    fs.mkdirSync(path.dirname(path.join(rawDir, rel)), { recursive: true });
    fs.writeFileSync(path.join(rawDir, rel), text);
  }
  const requests = [];
  // Like a Git hosting site, answer a web page to a plain GET of a repository URL with a path (`repo.git//dir`).
  const state = { pages: false };
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const url = new URL(req.url, 'http://x');
    if (state.pages && req.method === 'GET' && url.pathname.includes('//')) {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!DOCTYPE html>\n<html><body>a repository page</body></html>\n');
      return;
    }
    if (url.pathname.startsWith('/raw/')) {
      const file = path.join(rawDir, url.pathname.slice(5));
      if (!file.startsWith(rawDir + path.sep) || !fs.existsSync(file)) { res.writeHead(404, 'Not Found'); res.end('not found\n'); return; }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(fs.readFileSync(file));
      return;
    }
    cgi(req, res, url);
  });
  function cgi(req, res, url) {
    const child = spawn(BACKEND, [], {
      env: {
        ...process.env, GIT_PROJECT_ROOT: path.join(root, 'srv'), GIT_HTTP_EXPORT_ALL: '1', PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1), REQUEST_METHOD: req.method, CONTENT_TYPE: req.headers['content-type'] ?? '',
        CONTENT_LENGTH: req.headers['content-length'] ?? '', HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '', GIT_PROTOCOL: req.headers['git-protocol'] ?? '', REMOTE_ADDR: '127.0.0.1',
      },
    });
    req.pipe(child.stdin);
    const chunks = [];
    child.stdout.on('data', (d) => chunks.push(d));
    child.on('close', () => {
      const out = Buffer.concat(chunks);
      const end = out.indexOf('\r\n\r\n');
      const head = out.subarray(0, end < 0 ? 0 : end).toString('latin1');
      let status = 200;
      let reason = 'OK';
      const headers = {};
      for (const line of head.split('\r\n').filter(Boolean)) {
        const i = line.indexOf(':');
        const k = line.slice(0, i).trim();
        const v = line.slice(i + 1).trim();
        if (k.toLowerCase() === 'status') { status = Number(v.split(' ')[0]); reason = v.split(' ').slice(1).join(' ') || reason; } else headers[k] = v;
      }
      res.writeHead(status, reason, headers);
      res.end(end < 0 ? out : out.subarray(end + 4));
    });
  }
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = server.address().port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    /** Whether a GET of `repo.git//dir` answers a web page (200) instead of 404. */
    pages(on) { state.pages = on; },
    async stop() {
      await new Promise((resolve) => server.close(resolve));
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
