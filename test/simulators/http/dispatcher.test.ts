import { Agent, fetch as undiciFetch } from 'undici';
import { describe, expect, it } from 'vitest';
import {
  type ControllerDispatchHandler,
  createBridgeDispatcher,
  type DispatchController,
  type LegacyDispatchHandler,
} from '../../../src/simulators/http/dispatcher.js';

/*
 * The bridge dispatcher driven directly, with each of undici's handler APIs:
 * Node 20's fetch uses the legacy one, Node 26's the controller one; CI runs
 * both here whatever Node it runs on.
 */

/** Lets pending real work run: a few rounds of the event loop. */
async function settle(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** A response body that hands out `chunks` one per read, counting the reads asked of it. */
function pulledBody(chunks: string[], failAfter?: Error) {
  const state = { pulls: 0, cancelled: undefined as unknown };
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const i = state.pulls++;
        if (i < chunks.length) controller.enqueue(encoder.encode(chunks[i]));
        else if (failAfter) controller.error(new TypeError('terminated', { cause: failAfter }));
        else controller.close();
      },
      cancel(reason) {
        state.cancelled = reason;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

interface Seen {
  url: string;
  method: string;
  headers: [string, string][];
  body: string;
  signal: AbortSignal;
}

/** A fetch that records what it was asked and answers with `respond()`. */
function recordingFetch(respond: () => Response | Promise<Response>) {
  const seen: Seen[] = [];
  const fetchImpl = (async (input: URL, init: RequestInit) => {
    const request = new Request(input, init);
    const headers: [string, string][] = [];
    request.headers.forEach((value, name) => {
      headers.push([name, value]);
    });
    seen.push({
      url: request.url,
      method: request.method,
      headers,
      body: await request.text(),
      signal: init.signal!,
    });
    return respond();
  }) as typeof globalThis.fetch;
  return { fetchImpl, seen };
}

type Call = [string, ...unknown[]];

/** A handler implementing only the controller API, recording each call. */
function controllerHandler(hooks: { onData?: (c: DispatchController, n: number) => void } = {}) {
  const calls: Call[] = [];
  let controller: DispatchController | undefined;
  let dataCount = 0;
  let settled!: () => void;
  const done = new Promise<void>((resolve) => (settled = resolve));
  const handler: ControllerDispatchHandler = {
    onRequestStart(c, context) {
      controller = c;
      calls.push(['start', typeof context]);
    },
    onResponseStarted() {
      calls.push(['started']);
    },
    onResponseStart(c, status, headers, statusText) {
      expect(c).toBe(controller);
      calls.push([
        'head',
        status,
        statusText,
        { ...headers },
        c.rawHeaders?.map((b) => b.toString('latin1')),
      ]);
    },
    onResponseData(c, chunk) {
      expect(c).toBe(controller);
      expect(Buffer.isBuffer(chunk)).toBe(true);
      calls.push(['data', chunk.toString()]);
      hooks.onData?.(c, ++dataCount);
    },
    onResponseEnd(c, trailers) {
      expect(c).toBe(controller);
      calls.push(['end', trailers]);
      settled();
    },
    onResponseError(c, error) {
      expect(c).toBe(controller);
      calls.push(['error', error]);
      settled();
    },
  };
  return { handler, calls, done, controller: () => controller! };
}

const options = {
  origin: 'https://svc.test',
  path: '/v1/chat?x=1',
  method: 'POST',
  headers: { 'content-type': 'text/plain', 'x-multi': ['1', '2'] },
  body: 'hello',
};

describe('bridge dispatcher: the controller API (Node 26 fetch)', () => {
  it('passes the request through and the response back: status, lower-case headers, repeated headers, chunks, end', async () => {
    const headers = new Headers({ 'Content-Type': 'text/plain', 'X-Trace': 'café' });
    headers.append('X-Order', 'a');
    headers.append('X-Order', 'b');
    headers.append('Set-Cookie', 'a=1; Path=/');
    headers.append('Set-Cookie', 'b=2; Path=/');
    const { fetchImpl, seen } = recordingFetch(
      () =>
        new Response(pulledBody(['one', 'two', 'three']).stream, {
          status: 201,
          statusText: 'Made',
          headers,
        }),
    );
    const { handler, calls, done } = controllerHandler();
    expect(createBridgeDispatcher(fetchImpl).dispatch(options, handler)).toBe(true);
    await done;

    expect(seen).toEqual([
      {
        url: 'https://svc.test/v1/chat?x=1',
        method: 'POST',
        headers: [
          ['content-type', 'text/plain'],
          ['x-multi', '1, 2'],
        ],
        body: 'hello',
        signal: expect.any(AbortSignal),
      },
    ]);
    expect(calls).toEqual([
      ['start', 'object'],
      ['started'],
      [
        'head',
        201,
        'Made',
        {
          'content-type': 'text/plain',
          'set-cookie': ['a=1; Path=/', 'b=2; Path=/'],
          'x-order': 'a, b',
          'x-trace': 'café',
        },
        [
          'content-type',
          'text/plain',
          'set-cookie',
          'a=1; Path=/',
          'set-cookie',
          'b=2; Path=/',
          'x-order',
          'a, b',
          'x-trace',
          'café',
        ],
      ],
      ['data', 'one'],
      ['data', 'two'],
      ['data', 'three'],
      ['end', {}],
    ]);
  });

  it('a response without a body ends right after its head', async () => {
    const { fetchImpl } = recordingFetch(() => new Response(null, { status: 204 }));
    const { handler, calls, done } = controllerHandler();
    createBridgeDispatcher(fetchImpl).dispatch({ ...options, method: 'GET', body: null }, handler);
    await done;
    expect(calls.map((c) => c[0])).toEqual(['start', 'started', 'head', 'end']);
    expect(calls[2]![1]).toBe(204);
  });

  it('controller.pause() stops reading the body until controller.resume()', async () => {
    const body = pulledBody(['a', 'b', 'c']);
    const { fetchImpl } = recordingFetch(() => new Response(body.stream));
    const { handler, calls, done, controller } = controllerHandler({
      onData: (c, n) => {
        if (n === 1) c.pause();
      },
    });
    createBridgeDispatcher(fetchImpl).dispatch(options, handler);
    await settle(30);
    expect(controller().paused).toBe(true);
    expect(calls.filter((c) => c[0] === 'data')).toEqual([['data', 'a']]);
    expect(body.state.pulls).toBe(1);

    controller().resume();
    expect(controller().paused).toBe(false);
    await done;
    expect(calls.filter((c) => c[0] !== 'head' && c[0] !== 'start' && c[0] !== 'started')).toEqual([
      ['data', 'a'],
      ['data', 'b'],
      ['data', 'c'],
      ['end', {}],
    ]);
  });

  it('controller.abort(reason) mid-stream aborts the request and ends with onResponseError(reason), once', async () => {
    const body = pulledBody(['a', 'b', 'c']);
    const { fetchImpl, seen } = recordingFetch(() => new Response(body.stream));
    const reason = new Error('caller gave up');
    const { handler, calls, done, controller } = controllerHandler({
      onData: (c, n) => {
        if (n === 1) c.abort(reason);
      },
    });
    createBridgeDispatcher(fetchImpl).dispatch(options, handler);
    await done;
    await settle();
    expect(calls.slice(3)).toEqual([
      ['data', 'a'],
      ['error', reason],
    ]);
    expect(controller().aborted).toBe(true);
    expect(controller().reason).toBe(reason);
    expect(seen[0]!.signal.aborted).toBe(true);
    expect(seen[0]!.signal.reason).toBe(reason);
    controller().abort(new Error('again'));
    expect(controller().reason).toBe(reason);
    expect(calls.filter((c) => c[0] === 'error')).toHaveLength(1);
  });

  it('an abort while paused ends the exchange at once', async () => {
    const body = pulledBody(['a', 'b']);
    const { fetchImpl } = recordingFetch(() => new Response(body.stream));
    const { handler, calls, done, controller } = controllerHandler({ onData: (c) => c.pause() });
    createBridgeDispatcher(fetchImpl).dispatch(options, handler);
    await settle(30);
    const reason = new Error('stop');
    controller().abort(reason);
    await done;
    await settle();
    expect(calls.slice(3)).toEqual([
      ['data', 'a'],
      ['error', reason],
    ]);
    expect(body.state.pulls).toBe(1);
  });

  it('an abort before the response arrives aborts the fetch and reports the reason', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { fetchImpl, seen } = recordingFetch(async () => {
      await gate;
      return new Response('late');
    });
    const { handler, calls, done, controller } = controllerHandler();
    createBridgeDispatcher(fetchImpl).dispatch(options, handler);
    await settle();
    const reason = new Error('too slow');
    controller().abort(reason);
    await done;
    release();
    await settle();
    expect(calls).toEqual([
      ['start', 'object'],
      ['error', reason],
    ]);
    expect(seen[0]!.signal.reason).toBe(reason);
  });

  it("a network error reaches onResponseError as undici's cause, and a failing body mid-stream too", async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const failing = recordingFetch(() => Promise.reject(new TypeError('fetch failed', { cause: refused })));
    const first = controllerHandler();
    createBridgeDispatcher(failing.fetchImpl).dispatch(options, first.handler);
    await first.done;
    expect(first.calls).toEqual([
      ['start', 'object'],
      ['error', refused],
    ]);

    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const body = pulledBody(['a'], reset);
    const broken = recordingFetch(() => new Response(body.stream));
    const second = controllerHandler();
    createBridgeDispatcher(broken.fetchImpl).dispatch(options, second.handler);
    await second.done;
    expect(second.calls.slice(3)).toEqual([
      ['data', 'a'],
      ['error', reset],
    ]);
  });

  it("undici's fetch runs on it end to end through undici's own controller adapter", async () => {
    const bridge = createBridgeDispatcher(async (input, init) => {
      const request = new Request(input, init);
      return new Response(pulledBody(['{"echo":', JSON.stringify(await request.text()), '}']).stream, {
        headers: { 'content-type': 'application/json', 'set-cookie': 's=1' },
      });
    });
    // undici 7's fetch passes a legacy handler; an interceptor receives it wrapped in undici's
    // own adapter to the controller API (WrapHandler), which the bridge then drives.
    let api: string | undefined;
    const agent = new Agent();
    const viaController = agent.compose(() => (opts, handler) => {
      api = typeof handler.onRequestStart === 'function' ? 'controller' : 'legacy';
      return bridge.dispatch(opts as never, handler as ControllerDispatchHandler);
    });
    try {
      const res = await undiciFetch('https://svc.test/echo', {
        method: 'POST',
        body: 'ping',
        dispatcher: viaController,
      });
      expect(api).toBe('controller');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(res.headers.getSetCookie()).toEqual(['s=1']);
      expect(await res.json()).toEqual({ echo: 'ping' });
    } finally {
      await agent.close();
    }
  });
});

describe('bridge dispatcher: the legacy API (Node 20 fetch)', () => {
  function legacyHandler(hooks: { onData?: (n: number) => boolean } = {}) {
    const calls: Call[] = [];
    let abort!: (error?: Error) => void;
    let resume!: () => void;
    let dataCount = 0;
    let settled!: () => void;
    const done = new Promise<void>((resolve) => (settled = resolve));
    const handler: LegacyDispatchHandler = {
      onConnect(a) {
        abort = a;
        calls.push(['connect']);
      },
      onHeaders(status, raw, r, statusText) {
        resume = r;
        calls.push(['head', status, statusText, raw.map((b) => b.toString('latin1'))]);
        return true;
      },
      onData(chunk) {
        calls.push(['data', chunk.toString()]);
        return hooks.onData?.(++dataCount) ?? true;
      },
      onComplete(trailers) {
        calls.push(['complete', trailers]);
        settled();
      },
      onError(error) {
        calls.push(['error', error]);
        settled();
      },
    };
    return { handler, calls, done, abort: (e?: Error) => abort(e), resume: () => resume() };
  }

  it('streams with raw headers, pauses on false until resume(), and aborts with the reason', async () => {
    const headers = new Headers({ 'X-Trace': 'café' });
    headers.append('Set-Cookie', 'a=1');
    headers.append('Set-Cookie', 'b=2');
    const body = pulledBody(['a', 'b', 'c']);
    const { fetchImpl } = recordingFetch(() => new Response(body.stream, { headers }));
    const legacy = legacyHandler({ onData: (n) => n !== 1 });
    createBridgeDispatcher(fetchImpl).dispatch(options, legacy.handler);
    await settle(30);
    expect(legacy.calls).toEqual([
      ['connect'],
      ['head', 200, '', ['set-cookie', 'a=1', 'set-cookie', 'b=2', 'x-trace', 'café']],
      ['data', 'a'],
    ]);
    expect(body.state.pulls).toBe(1);
    legacy.resume();
    await legacy.done;
    expect(legacy.calls.slice(2)).toEqual([
      ['data', 'a'],
      ['data', 'b'],
      ['data', 'c'],
      ['complete', []],
    ]);

    const stopped = legacyHandler({ onData: () => false });
    const { fetchImpl: second, seen } = recordingFetch(() => new Response(pulledBody(['x', 'y']).stream));
    createBridgeDispatcher(second).dispatch(options, stopped.handler);
    await settle(30);
    const reason = new Error('stop');
    stopped.abort(reason);
    await stopped.done;
    expect(stopped.calls.slice(2)).toEqual([
      ['data', 'x'],
      ['error', reason],
    ]);
    expect(seen[0]!.signal.reason).toBe(reason);
  });

  it('a handler with both APIs is driven through the controller API, as undici does', async () => {
    const { fetchImpl } = recordingFetch(() => new Response('body'));
    const { handler, calls, done } = controllerHandler();
    const legacyCalls: string[] = [];
    const both = {
      ...handler,
      onConnect: () => legacyCalls.push('connect'),
      onHeaders: () => legacyCalls.push('headers') > 0,
      onData: () => legacyCalls.push('data') > 0,
      onComplete: () => legacyCalls.push('complete'),
    };
    createBridgeDispatcher(fetchImpl).dispatch(options, both);
    await done;
    expect(legacyCalls).toEqual([]);
    expect(calls.map((c) => c[0])).toEqual(['start', 'started', 'head', 'data', 'end']);
  });
});
