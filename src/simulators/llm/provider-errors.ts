/*
 * The `ServiceError`s of an LLM call with an HTTP status, shaped by the wire
 * format (body, headers, request id): a status fault's, and the 400 / 500 of a
 * request the mock cannot serve, which no fault caused.
 */
import { ServiceError } from '../../errors/service-error.js';
import type { StatusErrorEffect } from '../../faults/fault.js';
import type { CallScope } from '../services/engine.js';
import { type LlmServer, requestId } from './llm-server.js';
import { errorReply } from './wire-format.js';

/** The error of a status fault (`errors`, `rateLimit`, `overloaded`, ...), for `ServiceEngine.run`. */
export function faultError(server: LlmServer, effect: StatusErrorEffect, scope: CallScope): ServiceError {
  const shaped = errorReply(server.format, effect, scope.wallNow, requestId(server, scope));
  return new ServiceError({
    service: server.name,
    call: scope.index,
    fault: effect.fault,
    status: effect.status,
    headers: shaped.headers,
    body: shaped.body,
    message: effect.message,
  });
}

/** A provider-shaped 400 (bad request) or 500 (the `respond` option failed) that no fault caused. */
export function requestError(
  server: LlmServer,
  scope: CallScope,
  message: string,
  cause?: unknown,
  status = 400,
): ServiceError {
  const errorType = status === 400 ? 'invalid_request_error' : 'api_error';
  const effect: StatusErrorEffect = {
    type: 'status',
    fault: '',
    stage: 'status',
    status,
    errorType,
    message,
    headers: {},
    body: undefined,
  };
  const shaped = errorReply(server.format, effect, scope.wallNow, requestId(server, scope));
  return new ServiceError({
    service: server.name,
    call: scope.index,
    status,
    headers: shaped.headers,
    body: shaped.body,
    message,
    cause,
  });
}
