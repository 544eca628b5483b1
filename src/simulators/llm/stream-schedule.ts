/*
 * A streamed reply on the clock, with its faults applied: when each event is
 * due, when the stream ends (or that it stalls), and how its end is traced.
 * Tokens come `gapMs` apart from `startAt` (the first at once). A stream fault
 * cuts the stream after `afterChunks` tokens: `error` adds the in-band error
 * event, `truncate` ends without the terminal events, `stall` never ends. A
 * malformed fault breaks the first content event, or for `empty` sends
 * nothing and ends at once. Pure: no clock, no randomness.
 */
import type { ContentFaultEffect, MalformedEffect, StreamFaultEffect } from '../../faults/fault.js';
import type { CallEnd } from '../services/engine.js';
import { truncateJson } from '../services/malformed.js';
import type { Scheduled, StreamOutcome } from './stream.js';
import type { LlmWireFormat, StreamEvent, StreamShape } from './wire-format.js';

/** Every event of a streamed reply with its due time, and the end time (`'stall'`: never). */
export interface StreamSchedule {
  readonly items: Scheduled<StreamEvent>[];
  readonly endAt: number | 'stall';
}

/**
 * The schedule of a stream of `tokens` shaped as `events`, broken by `fault`
 * and `bad` (the call's stream and malformed faults); `format` gives the
 * wrong shape of a `wrong-shape` event.
 */
export function streamSchedule(
  events: StreamShape,
  tokens: readonly string[],
  startAt: number,
  gapMs: number,
  fault: StreamFaultEffect | undefined,
  bad: MalformedEffect | undefined,
  format: LlmWireFormat,
): StreamSchedule {
  const n = tokens.length;
  const cut = fault ? Math.min(fault.afterChunks, n) : n;
  let items: Scheduled<StreamEvent>[] = events.prelude.map((value) => ({ at: startAt, value }));
  for (let k = 0; k < cut; k++) items.push({ at: startAt + k * gapMs, value: events.token(tokens[k]!) });
  let endAt: number | 'stall';
  if (!fault) {
    endAt = startAt + Math.max(0, n - 1) * gapMs;
    for (const value of events.terminal) items.push({ at: endAt, value });
  } else if (fault.mode === 'stall') {
    endAt = 'stall';
  } else {
    endAt = startAt + cut * gapMs;
    if (fault.mode === 'error') {
      items.push({
        at: endAt,
        value: events.error(fault.errorType ?? 'overloaded_error', fault.message ?? 'Overloaded'),
      });
    }
  }
  if (bad?.kind === 'empty') {
    items = [];
    endAt = startAt;
  } else if (bad) {
    // the first event after the prelude (the first content event) is broken
    const k = Math.min(events.prelude.length, items.length - 1);
    const { at, value } = items[k]!;
    const broken: StreamEvent =
      bad.kind === 'truncated-json'
        ? { ...eventName(value), data: truncateJson(JSON.stringify(value.data)), malformed: true }
        : { ...eventName(value), data: format.wrongShape(value.data) };
    items[k] = { at, value: broken };
  }
  return { items, endAt };
}

/**
 * How a streamed call ends in the trace, from how its stream finished: `ok`
 * (with a content fault marked), `error` when a stream or malformed fault broke
 * it, `aborted` when the caller aborted or cancelled it.
 */
export function streamEnd(
  outcome: StreamOutcome,
  fault: StreamFaultEffect | undefined,
  bad: MalformedEffect | undefined,
  content: ContentFaultEffect | undefined,
): CallEnd {
  // a consumer that gives up on a malformed stream (an SDK failing to parse a chunk) cancels it
  if (outcome === 'cancelled' && bad) return { outcome: 'error', status: 200, fault: bad.fault };
  if (outcome !== 'complete') return { outcome: 'aborted', status: 200 };
  const broke = fault ?? bad;
  if (broke) return { outcome: 'error', status: 200, fault: broke.fault };
  return content ? { outcome: 'ok', status: 200, fault: content.fault } : { outcome: 'ok', status: 200 };
}

function eventName(event: StreamEvent): { event?: string } {
  return event.event === undefined ? {} : { event: event.event };
}
