/*
 * `faults.streamError`: a 200 stream that carries an in-band error event after
 * N chunks, then ends.
 */

import { oneOf, optionPath } from '../options/validate.js';
import type { Fault } from './fault.js';
import { type StreamFaultOptions, streamFault } from './stream-faults.js';

export interface StreamErrorOptions extends StreamFaultOptions {
  /** Error type of the in-band event. Default `'overloaded_error'`. */
  error?: 'overloaded_error' | 'api_error' | 'rate_limit_error';
}

/**
 * After `afterChunks` content chunks, the stream sends an in-band error event
 * (OpenAI `data: {"error":{...}}`, Anthropic `event: error`) and ends. The HTTP
 * status was already 200, so retrying is only safe if the caller discards the
 * partial output.
 *
 * @example
 * ```ts
 * faults.streamError({ afterChunks: 5 })
 * ```
 */
export function streamError(options: StreamErrorOptions): Fault {
  const errorType =
    options?.error === undefined
      ? 'overloaded_error'
      : oneOf(optionPath('faults.streamError', 'error'), options.error, [
          'overloaded_error',
          'api_error',
          'rate_limit_error',
        ]);
  const message =
    errorType === 'overloaded_error'
      ? 'Overloaded'
      : errorType === 'api_error'
        ? 'Internal server error'
        : 'Rate limit exceeded';
  return streamFault('streamError', 'error', options, ['error'], { errorType, message });
}
