// What the cluster link keeps per linked environment, and the faults it treats as passing (the
// cluster down, credentials expired): those are retried with backoff and shown as an outage.

import type { AgentStatus, ClusterFault, EnvironmentDiff, EnvironmentLink, EnvironmentMonitor } from '../cluster/index';
import type { ClusterLinkInfo } from '../protocol';
import { pathToUri } from '../workspace/uri';
import type { Environment } from '../workspace/types';

export interface LinkState {
  info: ClusterLinkInfo;
  link: EnvironmentLink;
  env: Environment;
  monitor: EnvironmentMonitor;
  diff?: EnvironmentDiff;
  status?: AgentStatus;
  busy: boolean;
  retryMs: number;
  retryTimer?: NodeJS.Timeout;
}

/** Fault kinds that pass: the link asks again later. */
export const TRANSIENT = new Set(['unreachable', 'timeout', 'server', 'unauthorized', 'gone']);

/** The agent's fault when it is a passing one (the cluster cannot be asked now). */
export function outageOf(st: Pick<LinkState, 'status'>): ClusterFault | undefined {
  return st.status?.fault && TRANSIENT.has(st.status.fault.kind) ? st.status.fault : undefined;
}

export function linkId(l: EnvironmentLink): string {
  return `${pathToUri(l.dir)}#${l.context}`;
}
