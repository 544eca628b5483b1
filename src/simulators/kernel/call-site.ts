import { fileURLToPath } from 'node:url';

/*
 * Where something was created, for diagnostics: a stack captured cheaply (V8
 * formats it only when read) and, when asked, its first frame outside Node's
 * internals and faultline's kernel — the user's line.
 */

export interface CallSite {
  stack?: string;
}

const KERNEL_URL = new URL('.', import.meta.url).href;
const KERNEL_DIR = fileURLToPath(KERNEL_URL);

/** Captures the current stack (up to 40 frames) without formatting it. */
export function captureSite(): CallSite {
  const site: CallSite = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 40;
  Error.captureStackTrace(site);
  Error.stackTraceLimit = limit;
  return site;
}

/** The first stack frame outside Node's internals and faultline's kernel. */
export function userFrame(site: CallSite | undefined): string | undefined {
  const stack = site?.stack;
  if (!stack) return undefined;
  for (const line of stack.split('\n').slice(1)) {
    const frame = line.trim().replace(/^at /, '');
    if (frame.includes('node:') || frame.includes(KERNEL_DIR) || frame.includes(KERNEL_URL)) continue;
    return frame;
  }
  return undefined;
}
