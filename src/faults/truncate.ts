/*
 * `faults.truncate`: a stream that ends early without its terminal event.
 */
import type { Fault } from './fault.js';
import { type StreamFaultOptions, streamFault } from './stream-faults.js';

/**
 * After `afterChunks` content chunks the stream ends cleanly at the transport
 * level but without the terminal event (no `data: [DONE]`, no `message_stop`),
 * at the time the next chunk was due.
 *
 * @example
 * ```ts
 * faults.truncate({ afterChunks: 10 })
 * ```
 */
export function truncate(options: StreamFaultOptions): Fault {
  return streamFault('truncate', 'truncate', options, []);
}
