// gitopsLens/liveDiff's answer: the two sides the client's diff editor shows (live ↔ after this
// change), for one object or for every object of a linked environment that is not in sync.

import { summarizeDiff, type EnvironmentDiff } from '../cluster/index';
import type { ClusterObjectId, LiveDiffResult } from '../protocol';
import type { LinkState } from './link-state';

/** The live and desired text of `d` (the link's last comparison, or one made now). */
export function liveDiffResult(st: LinkState, d: EnvironmentDiff, object: ClusterObjectId | undefined): LiveDiffResult {
  const where = `${st.info.label}, ${st.link.context}`;
  if (object) {
    const id = object;
    const o = d.objects.find((x) => x.id.kind === id.kind && x.id.name === id.name && (x.id.namespace ?? '') === (id.namespace ?? '') && group(x.id.apiVersion) === group(id.apiVersion));
    if (!o) return { title: `${id.kind} ${id.name} (${where}): not in the last comparison`, live: '', desired: '', state: 'unknown', approximate: false };
    const note = o.state === 'error' ? `# not compared: ${o.fault?.message ?? 'error'}\n` : '';
    return {
      title: `${id.kind} ${id.namespace ? `${id.namespace}/` : ''}${id.name}: live ↔ after this change (${where}${o.approximate ? ', approximate' : ''})`,
      live: note + (o.live ?? (o.state === 'new' ? '# not in the cluster (new)\n' : '')),
      desired: note + (o.desired ?? (o.state === 'prune' ? '# removed from the render (to prune)\n' : '')),
      state: o.state, approximate: o.approximate,
    };
  }
  let live = '';
  let desired = '';
  const shown = d.objects.filter((o) => o.state !== 'unchanged' && o.state !== 'skipped');
  for (const o of shown) {
    const head = `# ${o.id.kind} ${o.id.namespace ? `${o.id.namespace}/` : ''}${o.id.name}: ${o.state === 'prune' ? 'to prune' : o.state}${o.state === 'error' ? ` (${o.fault?.message ?? 'error'})` : ''}\n`;
    live += `---\n${head}${o.live ?? ''}`;
    desired += `---\n${head}${o.desired ?? ''}`;
  }
  if (d.status === 'error') live = desired = `# ${d.fault?.message ?? 'the comparison failed'}\n`;
  else if (!shown.length) live = desired = '# in sync\n';
  return { title: `${st.info.label}: live ↔ after this change (${where}: ${summarizeDiff(d)})`, live, desired, state: d.status, approximate: d.approximate };
}

function group(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}
