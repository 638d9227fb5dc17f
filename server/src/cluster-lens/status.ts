// A linked environment's state as the client receives it (gitopsLens/clusterStatus,
// gitopsLens/clusterEnvironments): the one-line summary, the counts and the agent's status.

import { summarizeDiff, type AgentStatus } from '../cluster/index';
import type { AgentStatusInfo, ClusterStatusParams } from '../protocol';
import { outageOf, type LinkState } from './link-state';

export function statusOf(st: LinkState): ClusterStatusParams {
  const d = st.diff;
  const label = st.info.label;
  const outage = outageOf(st);
  let summary: string;
  let state: ClusterStatusParams['state'];
  if (outage) {
    summary = `${label} (${st.link.context}): ${outage.message}${d && d.status !== 'error' ? ` (last result: ${summarizeDiff(d)})` : ''}`;
    state = 'error';
  } else if (!d) {
    summary = `${label} (${st.link.context}): comparing with the cluster…`;
    state = 'comparing';
  } else {
    summary = summarizeDiff(d, label);
    if (d.status === 'partial' && !/partial/.test(summary)) summary += ' (partial)';
    state = d.status;
  }
  return {
    link: st.info, state, summary, busy: st.busy,
    counts: d?.counts, approximate: d?.approximate, mode: d?.mode,
    fault: outage ?? d?.fault, notes: d?.notes ?? [],
    agent: st.status ? agentInfo(st.status) : undefined,
  };
}

function agentInfo(s: AgentStatus): AgentStatusInfo {
  return {
    found: s.found, sync: s.sync, health: s.health, operationPhase: s.operationPhase, revision: s.revision, ready: s.ready,
    lastAttemptedRevision: s.lastAttemptedRevision, suspended: s.suspended, revisionVsHead: s.revisionVsHead, summary: s.summary,
    fault: s.fault ? { kind: s.fault.kind, message: s.fault.message } : undefined,
  };
}
