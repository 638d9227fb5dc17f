// The browser bundle's entry: the engine as a web page (or a web extension host) would load it.
// Only the engine's public surface, on globalThis, so the test page can reach it.
import { Engine, KustomizeError, MemoryHost, build, renderYaml } from '../../server/src/engine/index';

(globalThis as Record<string, unknown>).GitOpsLensEngine = { Engine, KustomizeError, MemoryHost, build, renderYaml };
