// The debounced render queue: environments an edit made stale are rendered one at a time, those
// reading an open document first, yielding to the event loop between renders so requests are
// answered while a repository renders.

export interface QueueSteps {
  /** Renders `dir` when it is still stale; false when there was nothing to do. */
  render(dir: string): boolean;
  /** Folders to take first (the environments reading open documents), in order. */
  preferred(): Iterable<string>;
  onIdle?(): void;
}

export class RenderQueue {
  private queue = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;

  constructor(private readonly steps: QueueSteps, private readonly debounceMs = 40) {}

  add(dir: string): void { this.queue.add(dir); }

  schedule(delay = this.debounceMs): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.timer = undefined; void this.drain(); }, delay);
  }

  get size(): number { return this.queue.size; }
  isIdle(): boolean { return !this.queue.size && !this.running && !this.timer; }

  /** Resolves when nothing is queued or running. */
  async idle(): Promise<void> {
    while (!this.isIdle()) await new Promise((r) => setTimeout(r, 5));
  }

  private next(): string | undefined {
    for (const d of this.steps.preferred()) if (this.queue.has(d)) return d;
    return this.queue.values().next().value;
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      let since = performance.now();
      for (let d = this.next(); d !== undefined; d = this.next()) {
        this.queue.delete(d);
        if (!this.steps.render(d)) continue;
        // Yield to the event loop regularly so requests are answered between renders.
        if (performance.now() - since > 8) { await new Promise((r) => setImmediate(r)); since = performance.now(); }
      }
    } finally {
      this.running = false;
    }
    if (this.queue.size) { void this.drain(); return; }
    this.steps.onIdle?.();
  }
}
