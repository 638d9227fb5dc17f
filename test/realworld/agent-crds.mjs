// The Flux and Argo CD CRDs (scripts/agent-crds.mjs: the versions the bundled schemas come from), as
// objects to install into the test API server the precision harness dry-runs against. Kept in the
// realworld cache per version set (making them takes a Go build of controller-gen).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { agentCrdFiles, VERSION_KEY } from '../../scripts/agent-crds.mjs';
import { cacheDir } from './repos.mjs';

export async function agentCrds() {
  const cached = path.join(cacheDir(), 'agent-crds', `${VERSION_KEY}.json`);
  if (fs.existsSync(cached)) return JSON.parse(fs.readFileSync(cached, 'utf8'));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-lens-agent-crds-'));
  try {
    const out = [];
    for (const { file } of agentCrdFiles({ tmp }).files) {
      for (const d of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
        const o = d.toJS();
        if (o?.kind === 'CustomResourceDefinition') out.push(o);
      }
    }
    fs.mkdirSync(path.dirname(cached), { recursive: true });
    fs.writeFileSync(cached, JSON.stringify(out));
    return out;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
