/*
 * Generation: the reply text of a call (the `respond` option's, else a default
 * quoting the last user message) made into a `Completion` with its ids, model,
 * creation time, prompt token count and output tokens (which `max_tokens` and
 * a content fault shape, see `completion.ts`). A request that is not an object
 * is a 400; a failing or non-string `respond` a 500.
 */
import type { CallScope } from '../services/engine.js';
import { type Completion, estimateTokens, shapeOutput } from './completion.js';
import type { LlmServer } from './llm-server.js';
import { requestError } from './provider-errors.js';
import { type LlmRequest, lastUserText, promptText } from './request.js';

/** The completion of one call, at the clock time generation starts. */
export async function generate(
  server: LlmServer,
  request: LlmRequest,
  scope: CallScope,
): Promise<Completion> {
  const { name, format, options, engine, clock } = server;
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    throw requestError(server, scope, 'the request body must be a JSON object');
  }
  let text: string;
  try {
    text = options.respond
      ? await options.respond(request, { callIndex: scope.index, now: clock.now() })
      : defaultReply(request, scope.index);
  } catch (error) {
    throw requestError(
      server,
      scope,
      `respond() failed: ${error instanceof Error ? error.message : String(error)}`,
      error,
      500,
    );
  }
  if (typeof text !== 'string')
    throw requestError(server, scope, 'respond() must return a string', undefined, 500);
  return {
    id: `${format.idPrefix.completion}${name}_${scope.index}`,
    model: typeof request.model === 'string' ? request.model : (options.model ?? format.defaultModel),
    created: Math.floor(engine.wallTime(clock.now()) / 1000),
    promptTokens: estimateTokens(promptText(request)),
    ...shapeOutput(
      text,
      request,
      scope.decision.content?.mode,
      `${format.idPrefix.toolCall}${name}_${scope.index}`,
    ),
  };
}

function defaultReply(request: LlmRequest, index: number): string {
  const asked = lastUserText(request).replace(/\s+/g, ' ').trim().slice(0, 80);
  return asked === '' ? `Simulated reply #${index}.` : `Simulated reply #${index} to: ${asked}`;
}
