/*
 * The progress bar of `faultline explore` on stderr: runs done, runs/s,
 * failures so far and ETA. On a terminal it redraws one line; otherwise it
 * prints a line every few seconds (CI logs stay readable).
 */

function eta(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  const m = Math.floor(seconds / 60);
  return `${m}m${String(Math.ceil(seconds % 60)).padStart(2, '0')}s`;
}

export class Progress {
  private readonly startedAt = performance.now();
  private done = 0;
  private failed = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastLine = 0;
  /** The counts of the last line printed in line mode (not on a terminal). */
  private printed = '';
  private drawn = false;

  constructor(
    private readonly total: number,
    private readonly out: NodeJS.WriteStream,
  ) {}

  private get tty(): boolean {
    return this.out.isTTY === true;
  }

  start(): void {
    this.timer = setInterval(() => this.draw(), this.tty ? 200 : 2000);
    this.timer.unref();
  }

  update(done: number, failed: number): void {
    this.done = done;
    this.failed = failed;
  }

  /** Prints a message above the bar. */
  above(text: string): void {
    this.clear();
    this.out.write(`${text}\n`);
    if (this.tty) this.draw();
  }

  /** The status line: `[████░░░░]  40%  400/1000 · 212 runs/s · 1 failed · ETA 3s`. */
  line(): string {
    const elapsed = (performance.now() - this.startedAt) / 1000;
    const rate = this.done / Math.max(elapsed, 1e-9);
    const share = this.total === 0 ? 1 : this.done / this.total;
    const cells = 20;
    const full = Math.round(share * cells);
    const bar = `${'█'.repeat(full)}${'░'.repeat(cells - full)}`;
    const left = rate > 0 ? (this.total - this.done) / rate : Number.POSITIVE_INFINITY;
    return `[${bar}] ${String(Math.floor(share * 100)).padStart(3)}% ${this.done}/${this.total} · ${rate.toFixed(0)} runs/s · ${this.failed} failed · ETA ${eta(left)}`;
  }

  private draw(): void {
    if (this.tty) {
      this.out.write(`\r${this.line()}\x1b[K`);
      this.drawn = true;
    } else if (performance.now() - this.lastLine >= 1900) {
      this.lastLine = performance.now();
      this.printLine();
    }
  }

  private printLine(): void {
    this.printed = `${this.done}/${this.failed}`;
    this.out.write(`${this.line()}\n`);
  }

  private clear(): void {
    if (this.tty && this.drawn) this.out.write('\r\x1b[K');
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.clear();
    // The final status always shows, so a short run in a CI log still has its rate and count;
    // in line mode, not twice when the last periodic line already had the final counts.
    if (this.tty || this.printed !== `${this.done}/${this.failed}`) this.printLine();
  }
}
