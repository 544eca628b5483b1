/*
 * Malformed payloads (`faults.malformed`) as services deliver them: the HTTP
 * reply with the broken body (`respond`), and what a non-HTTP `call()` gives
 * the caller, which is what an SDK would give it: a 200 body that does not
 * parse rejects with a `ServiceError` code `'MALFORMED'` (no status, raw text
 * as `body`); a wrong-shaped 200 body is returned as is (SDKs do not validate
 * shapes); an error status rejects with a `ServiceError` carrying that status.
 */
import { MALFORMED_CODE, ServiceError } from '../../errors/service-error.js';
import { statusText } from '../../faults/error-catalog.js';
import type { MalformedEffect } from '../../faults/fault.js';
import type { ServiceReply } from '../http/message.js';

/** An HTTP reply whose body is text (malformed replies are never streamed). */
export interface TextReply extends ServiceReply {
  readonly body: string;
}

/**
 * The malformed reply for a call whose normal JSON body is `value`.
 * `wrongShape` is the JSON value sent for `wrong-shape`; `headers` are the
 * headers of the normal reply (kept, except for an HTML page, which comes
 * from a proxy that knows nothing of the service's headers).
 */
export function malformedReply(
  effect: MalformedEffect,
  value: unknown,
  wrongShape: unknown,
  headers: Readonly<Record<string, string>> = {},
): TextReply {
  const json = { ...headers, 'content-type': 'application/json' };
  switch (effect.kind) {
    case 'truncated-json':
      return { status: effect.status, headers: json, body: truncateJson(JSON.stringify(value ?? null)) };
    case 'wrong-shape':
      return { status: effect.status, headers: json, body: JSON.stringify(wrongShape ?? null) };
    case 'empty':
      return { status: effect.status, headers: json, body: '' };
    case 'html':
      return {
        status: effect.status,
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: htmlPage(effect.status),
      };
  }
}

/**
 * What `call()` gives for a malformed reply: the wrong-shaped value, or a
 * rejection (see the module header).
 */
export function malformedCallValue(
  effect: MalformedEffect,
  reply: TextReply,
  wrongShape: unknown,
  service: string,
  call: number,
): unknown {
  if (effect.status >= 400) {
    throw new ServiceError({
      service,
      call,
      fault: effect.fault,
      status: effect.status,
      headers: reply.headers,
      body: parseOr(reply.body),
      message: `${statusText(effect.status)} with a malformed (${effect.kind}) body`,
    });
  }
  if (effect.kind === 'wrong-shape') return wrongShape;
  throw malformedError(effect, reply.body, service, call, reply.headers);
}

/** The `ServiceError` code `'MALFORMED'` for a payload that does not parse. */
export function malformedError(
  effect: MalformedEffect,
  text: string,
  service: string,
  call: number,
  headers: Readonly<Record<string, string>> = {},
): ServiceError {
  return new ServiceError({
    service,
    call,
    fault: effect.fault,
    code: MALFORMED_CODE,
    headers,
    body: text,
    message: `the response body is not valid JSON (${effect.kind}): ${preview(text)}`,
  });
}

/**
 * The first half of a JSON text, which never parses: a prefix of an object,
 * array or string is unterminated. (A number's prefix is a number: it gets a
 * dangling comma.)
 */
export function truncateJson(text: string): string {
  const cut = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
  try {
    JSON.parse(cut);
    return `${cut},`;
  } catch {
    return cut;
  }
}

/** An nginx-style error page (`<title>502 Bad Gateway</title>`); a 200 page says "An error occurred." */
export function htmlPage(status: number): string {
  const title = status === 200 ? 'Error' : `${status} ${statusText(status)}`;
  const heading = status === 200 ? 'An error occurred.' : title;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${heading}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

function parseOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function preview(text: string): string {
  if (text === '') return '(empty body)';
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > 40 ? `${JSON.stringify(oneLine.slice(0, 40))}…` : JSON.stringify(oneLine);
}
