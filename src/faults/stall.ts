/*
 * `faults.stall`: a stream that stops sending after N chunks and never ends.
 */
import type { Fault } from './fault.js';
import { type StreamFaultOptions, streamFault } from './stream-faults.js';

/**
 * After `afterChunks` content chunks the stream goes silent: no more data, no
 * end, no timer. Only an abort (the caller's signal, or cancelling the body)
 * ends it, which is what an idle timeout must do.
 *
 * @example
 * ```ts
 * faults.stall({ afterChunks: 3 })
 * ```
 */
export function stall(options: StreamFaultOptions): Fault {
  return streamFault('stall', 'stall', options, []);
}
