// gitopsLens.openResource: from the Environments view, a rendered resource in the preview.
import type { EnvironmentInfo } from '../../../server/src/protocol';
import type { PreviewProvider } from '../preview/provider';
import { targetOf } from './pick';

export function openResourceCommand(previews: PreviewProvider) {
  return async (env: EnvironmentInfo, resource: { kind: string; name: string; namespace?: string }): Promise<void> => {
    if (!env) return;
    await previews.open(targetOf(env), false, resource);
  };
}

/** gitopsLens.openEnvironment: an environment (view item or id) in the preview. */
export function openEnvironmentCommand(previews: PreviewProvider) {
  return async (node: { env?: EnvironmentInfo } | EnvironmentInfo): Promise<void> => {
    const env = node && 'env' in node && node.env ? node.env : node as EnvironmentInfo;
    if (env?.id) await previews.open(targetOf(env), false);
  };
}
