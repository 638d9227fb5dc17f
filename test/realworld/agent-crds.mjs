// The Flux and Argo CD CRDs (scripts/agent-crds.mjs: the versions the bundled schemas come from), as
// objects to install into the test API server the precision harness dry-runs against.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { agentCrdFiles } from '../../scripts/agent-crds.mjs';

export async function agentCrds() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-lens-agent-crds-'));
  try {
    const out = [];
    for (const { file } of agentCrdFiles({ tmp }).files) {
      for (const d of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
        const o = d.toJS();
        if (o?.kind === 'CustomResourceDefinition') out.push(o);
      }
    }
    return out;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
