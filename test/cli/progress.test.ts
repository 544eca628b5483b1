import { afterEach, describe, expect, it, vi } from 'vitest';
import { Progress } from '../../src/cli/progress.js';

function stream(isTTY: boolean) {
  const writes: string[] = [];
  const out = { isTTY, write: (text: string) => writes.push(text) > 0 } as unknown as NodeJS.WriteStream;
  return {
    out,
    writes,
    lines: () =>
      writes
        .join('')
        .split('\n')
        .filter((l) => l.length > 0),
  };
}

describe('explore progress', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('in a log (not a terminal) prints a line every ~2 s and the final status once', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
    const { out, lines } = stream(false);
    const progress = new Progress(100, out);
    progress.start();
    progress.update(40, 1);
    vi.advanceTimersByTime(2000);
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toMatch(/ 40% 40\/100 · 20 runs\/s · 1 failed · ETA 3s$/);
    progress.update(100, 1);
    vi.advanceTimersByTime(2000);
    expect(lines()).toHaveLength(2);
    // the last periodic line already shows 100/100: stop does not print it again
    progress.stop();
    expect(lines()).toHaveLength(2);
    expect(lines()[1]).toContain('100/100');
  });

  it('in a log prints the final status when no periodic line had the final counts', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
    const { out, lines } = stream(false);
    const progress = new Progress(10, out);
    progress.start();
    progress.update(10, 0);
    vi.advanceTimersByTime(500);
    progress.stop();
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toMatch(/100% 10\/10 · 20 runs\/s · 0 failed/);
  });

  it('on a terminal redraws one line and ends with the final status on its own line', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
    const { out, writes } = stream(true);
    const progress = new Progress(10, out);
    progress.start();
    progress.update(5, 0);
    vi.advanceTimersByTime(400);
    progress.above('seed 3 failed');
    progress.update(10, 1);
    progress.stop();
    const text = writes.join('');
    expect(text.match(/\n/g)).toHaveLength(2); // the message and the final status
    expect(text.endsWith('· 1 failed · ETA 0s\n')).toBe(true);
  });
});
