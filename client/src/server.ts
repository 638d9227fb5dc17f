// The language server's lifecycle on the client side: start, restart (on crash and on demand), the
// output channel with its log, and requests that fail politely while it is starting or down.
import * as vscode from 'vscode';
import {
  CloseAction, ErrorAction, LanguageClient, State, TransportKind,
  type CloseHandlerResult, type ErrorHandlerResult, type LanguageClientOptions, type ServerOptions,
} from 'vscode-languageclient/node';
import type { NotificationType, RequestType, RequestType0 } from 'vscode-languageclient';
import { diagnosticShown, isExcluded, SECTION, settings } from './settings';
import { withClusterTooltips } from './cluster/store';

export type ServerState = 'starting' | 'running' | 'stopped' | 'crashed';

const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 3 * 60_000;

export class ServerConnection implements vscode.Disposable {
  readonly output: vscode.LogOutputChannel;
  private client: LanguageClient | undefined;
  private stateValue: ServerState = 'stopped';
  private readonly stateEmitter = new vscode.EventEmitter<ServerState>();
  /** Fires when the state changes; `running` also after every (re)start. */
  readonly onDidChangeState = this.stateEmitter.event;
  private readonly notificationHandlers: { type: NotificationType<unknown>; handler: (p: unknown) => void }[] = [];
  private readonly clientDisposables: vscode.Disposable[] = [];
  private restarts: number[] = [];
  /** Raw diagnostics as the server published them (filtered by settings before VS Code sees them). */
  private readonly rawDiagnostics = new Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }>();
  private disposed = false;

  constructor(private readonly serverModule: string) {
    this.output = vscode.window.createOutputChannel('GitOps Lens', { log: true });
  }

  get state(): ServerState { return this.stateValue; }
  get pid(): number | undefined { return (this.client as unknown as { _serverProcess?: { pid?: number } } | undefined)?._serverProcess?.pid; }

  private setState(s: ServerState): void {
    if (s === this.stateValue && s !== 'running') return;
    this.stateValue = s;
    this.stateEmitter.fire(s);
  }

  /** Registers a notification handler that survives restarts. */
  onNotification<P>(type: NotificationType<P>, handler: (p: P) => void): void {
    this.notificationHandlers.push({ type: type as NotificationType<unknown>, handler: handler as (p: unknown) => void });
    if (this.client) this.clientDisposables.push(this.client.onNotification(type, handler));
  }

  async start(): Promise<void> {
    if (this.disposed) return;
    const serverOptions: ServerOptions = {
      run: { module: this.serverModule, transport: TransportKind.ipc },
      debug: { module: this.serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'yaml' },
        { scheme: 'file', pattern: '**/Kustomization' },
        { scheme: 'file', pattern: '**/*.{env,properties,json,txt,conf}' },
      ],
      outputChannel: this.output,
      synchronize: { configurationSection: SECTION },
      initializationOptions: { settings: settings() },
      errorHandler: {
        error: (): ErrorHandlerResult => ({ action: ErrorAction.Continue }),
        closed: (): CloseHandlerResult => {
          const now = Date.now();
          this.restarts = this.restarts.filter((t) => now - t < RESTART_WINDOW_MS);
          if (this.disposed || this.restarts.length >= MAX_RESTARTS) {
            this.setState('crashed');
            const message = `The GitOps Lens language server stopped ${MAX_RESTARTS} times in 3 minutes and will not be restarted. Run "GitOps Lens: Restart Language Server" to try again.`;
            void vscode.window.showErrorMessage(message, 'Show Log').then((a) => { if (a) this.output.show(); });
            return { action: CloseAction.DoNotRestart, message };
          }
          this.restarts.push(now);
          this.output.warn('The language server stopped unexpectedly; restarting it.');
          this.setState('starting');
          return { action: CloseAction.Restart, handled: true };
        },
      },
      middleware: {
        handleDiagnostics: (uri, diagnostics, next) => {
          this.rawDiagnostics.set(uri.toString(), { uri, diagnostics });
          next(uri, this.shown(uri, diagnostics));
        },
        provideCodeLenses: async (doc, token, next) => withClusterTooltips(await next(doc, token)),
      },
    };
    const client = new LanguageClient('gitopsLens', 'GitOps Lens', serverOptions, clientOptions);
    this.client = client;
    this.clientDisposables.push(client.onDidChangeState((e) => {
      if (this.client !== client) return;
      if (e.newState === State.Running) this.setState('running');
      else if (e.newState === State.Starting) this.setState('starting');
      else if (this.stateValue !== 'crashed') this.setState('stopped');
    }));
    for (const { type, handler } of this.notificationHandlers) this.clientDisposables.push(client.onNotification(type, handler));
    this.setState('starting');
    try {
      await client.start();
      this.output.info(`Language server started (pid ${this.pid ?? '?'}).`);
      this.setState('running');
    } catch (e) {
      this.output.error(`The language server failed to start: ${(e as Error).message}`);
      this.setState('crashed');
    }
  }

  async restart(): Promise<void> {
    this.output.info('Restarting the language server.');
    this.restarts = [];
    await this.stop();
    await this.start();
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    for (const d of this.clientDisposables.splice(0)) d.dispose();
    this.setState('stopped');
    if (client) {
      try { await client.stop(5000); } catch { /* already gone */ }
    }
  }

  /** Re-applies the diagnostics settings to everything the server published. */
  refilterDiagnostics(): void {
    const collection = this.client?.diagnostics;
    if (!collection) return;
    for (const { uri, diagnostics } of this.rawDiagnostics.values()) collection.set(uri, this.shown(uri, diagnostics));
  }

  private shown(uri: vscode.Uri, diagnostics: vscode.Diagnostic[]): vscode.Diagnostic[] {
    const s = settings(uri);
    if (s.exclude.length && isExcluded(s, vscode.workspace.asRelativePath(uri, false))) return [];
    return diagnostics.filter((d) => diagnosticShown(s, d.code));
  }

  /** Waits until the server runs (up to `timeoutMs`). */
  async whenRunning(timeoutMs = 10_000): Promise<boolean> {
    if (this.stateValue === 'running' && this.client?.isRunning()) return true;
    if (this.stateValue === 'crashed' || this.stateValue === 'stopped') return false;
    return new Promise((resolve) => {
      const timer = setTimeout(() => { sub.dispose(); resolve(false); }, timeoutMs);
      const sub = this.onDidChangeState((s) => {
        if (s === 'running' || s === 'crashed') { clearTimeout(timer); sub.dispose(); resolve(s === 'running'); }
      });
    });
  }

  /**
   * Sends a request. When the server is not running (starting, restarting or stopped) returns
   * undefined; with `polite` it also tells the user so (with a way to the log) instead of throwing.
   */
  async request<P, R>(type: RequestType<P, R, void>, params: P, polite = true): Promise<R | undefined> {
    if (!(await this.whenRunning())) {
      if (polite) this.notRunning();
      return undefined;
    }
    try {
      return await this.client!.sendRequest(type, params);
    } catch (e) {
      if (!this.client?.isRunning()) { if (polite) this.notRunning(); return undefined; }
      this.output.error(`${type.method} failed: ${(e as Error).message}`);
      if (polite) void vscode.window.showErrorMessage(`GitOps Lens: ${type.method} failed: ${(e as Error).message}`, 'Show Log').then((a) => { if (a) this.output.show(); });
      return undefined;
    }
  }

  async request0<R>(type: RequestType0<R, void>): Promise<R | undefined> {
    if (this.stateValue !== 'running' || !this.client?.isRunning()) return undefined;
    try { return await this.client.sendRequest(type); } catch { return undefined; }
  }

  private notRunning(): void {
    const crashed = this.stateValue === 'crashed' || this.stateValue === 'stopped';
    const msg = crashed
      ? 'GitOps Lens: the language server is not running. Restart it to use this command.'
      : 'GitOps Lens: the language server is still starting; try again in a moment.';
    void vscode.window.showWarningMessage(msg, ...(crashed ? ['Restart', 'Show Log'] : ['Show Log'])).then((a) => {
      if (a === 'Restart') void this.restart();
      else if (a === 'Show Log') this.output.show();
    });
  }

  dispose(): void {
    this.disposed = true;
    void this.stop();
    this.output.dispose();
    this.stateEmitter.dispose();
  }
}
