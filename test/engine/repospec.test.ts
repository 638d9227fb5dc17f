// Which `resources:` entries are git repositories, and how they split into host, repository, path
// and parameters (engine/repospec.ts, after kustomize v5.5's api/internal/git/repospec.go). The forms
// kubectl fetches from a live server are built against it in test/remote.

import { describe, it } from 'node:test';
import { parseRepoSpec } from '../../server/src/engine/repospec';
import { check, expect } from '../server/check';

describe('repository specs', () => {
  it('split into host, repository, path and parameters; local paths are not repositories', () => {
    const rows = [
      'https://github.com/org/repo//deploy/base?ref=v1.2.0',
      'github.com/org/repo/deploy/base?ref=v1',
      'github.com:org/repo',
      'http://github.com/org/repo',
      'git@github.com:org/repo.git//x',
      'ssh://git@example.com/org/repo.git?ref=main',
      'git::https://gitlab.com/org/repo.git//dir?version=v2&timeout=90',
      'https://example.com/org/repo.git/sub/dir?ref=v1&submodules=false&timeout=1m30s',
      'https://dev.azure.com/org/project/_git/repo//path',
      'file:///srv/repos/x.git//base',
      'https://example.com/org/repo?timeout=0',
      'https://example.com/org/repo//../x',
      'https://example.com',
      './local/dir',
      '../base',
      '/abs/dir',
      'example.com/org/repo',
    ];
    const out = rows.map((raw) => {
      const s = parseRepoSpec(raw);
      if (!s) return `${raw} -> local`;
      if ('error' in s) return `${raw} -> error: ${s.error}`;
      return `${raw} -> ${s.host} | ${s.repoPath} | ${s.path || '.'} | ref=${s.ref || 'HEAD'} timeout=${s.timeoutMs}ms submodules=${s.submodules}`;
    });
    check(out.join('\n'), expect`
      https://github.com/org/repo//deploy/base?ref=v1.2.0 -> https://github.com/ | org/repo | deploy/base | ref=v1.2.0 timeout=27000ms submodules=true
      github.com/org/repo/deploy/base?ref=v1 -> https://github.com/ | org/repo | deploy/base | ref=v1 timeout=27000ms submodules=true
      github.com:org/repo -> https://github.com/ | org/repo | . | ref=HEAD timeout=27000ms submodules=true
      http://github.com/org/repo -> https://github.com/ | org/repo | . | ref=HEAD timeout=27000ms submodules=true
      git@github.com:org/repo.git//x -> git@github.com: | org/repo.git | x | ref=HEAD timeout=27000ms submodules=true
      ssh://git@example.com/org/repo.git?ref=main -> ssh://git@example.com/ | org/repo.git | . | ref=main timeout=27000ms submodules=true
      git::https://gitlab.com/org/repo.git//dir?version=v2&timeout=90 -> https://gitlab.com/ | org/repo.git | dir | ref=v2 timeout=90000ms submodules=true
      https://example.com/org/repo.git/sub/dir?ref=v1&submodules=false&timeout=1m30s -> https://example.com/ | org/repo.git | sub/dir | ref=v1 timeout=90000ms submodules=false
      https://dev.azure.com/org/project/_git/repo//path -> https://dev.azure.com/ | org/project/_git/repo | path | ref=HEAD timeout=27000ms submodules=true
      file:///srv/repos/x.git//base -> file:// | /srv/repos/x.git | base | ref=HEAD timeout=27000ms submodules=true
      https://example.com/org/repo?timeout=0 -> https://example.com/ | org/repo | . | ref=HEAD timeout=27000ms submodules=true
      https://example.com/org/repo//../x -> error: url path exits repo
      https://example.com -> error: failed to parse repo path segment
      ./local/dir -> local
      ../base -> local
      /abs/dir -> local
      example.com/org/repo -> local
    `);
  });
});
