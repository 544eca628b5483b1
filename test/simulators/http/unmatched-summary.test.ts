import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { SimulationDeadlockError, simulate, UnmatchedRequestError } from '../../../src/index.js';

/*
 * A request no route matches, retried by an SDK until it gives up with its own
 * error: the result lists the unmatched requests, and the failure message
 * starts with them next to the routed base URLs.
 */

describe('unmatched requests in the result and the failure message', () => {
  it("an SDK's unmatched request is the first line of the run's error", async () => {
    const result = await simulate({ seed: 1 }, async (sim) => {
      sim.http('https://api.openai.test/v1', () => Response.json({}));
      // A typo in the base URL: .com instead of .test.
      const client = new OpenAI({ apiKey: 'k', baseURL: 'https://api.openai.com/v1' });
      await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] });
    });
    expect(result.outcome).toBe('failed');
    expect(result.unmatched).toEqual([
      { method: 'POST', url: 'https://api.openai.com/v1/chat/completions', count: 3 },
    ]);
    const error = result.error as Error & { cause?: { cause?: unknown } };
    expect(error.constructor.name).toBe('APIConnectionError');
    expect(error.message.split('\n')[0]).toBe(
      'faultline: 1 request matched no route: POST https://api.openai.com/v1/chat/completions (×3); ' +
        "routed base URLs: https://api.openai.test/v1. Route with sim.http(baseUrl, target) (or fix the client's base URL).",
    );
    expect(error.message.split('\n')[1]).toBe('Connection error.');
    expect(error.stack!.split('\n')[0]).toContain('faultline: 1 request matched no route');
    expect(UnmatchedRequestError.is(error.cause?.cause)).toBe(true);
  });

  it('leaves an error that unmatched requests did not cause alone, but still lists them', async () => {
    const result = await simulate({ seed: 1 }, async () => {
      await fetch('https://nowhere.test/a').catch(() => undefined);
      await fetch('https://nowhere.test/a').catch(() => undefined);
      await fetch('https://nowhere.test/b', { method: 'DELETE' }).catch(() => undefined);
      throw new Error('unrelated');
    });
    expect((result.error as Error).message).toBe('unrelated');
    expect(result.unmatched).toEqual([
      { method: 'GET', url: 'https://nowhere.test/a', count: 2 },
      { method: 'DELETE', url: 'https://nowhere.test/b', count: 1 },
    ]);
  });

  it('a run that succeeds has an empty list', async () => {
    const result = await simulate({ seed: 1 }, async (sim) => {
      sim.http('https://ok.test', () => new Response('ok'));
      return (await fetch('https://ok.test/x')).text();
    });
    expect(result.value).toBe('ok');
    expect(result.unmatched).toEqual([]);
  });

  it('a deadlock after an unmatched request names it first', async () => {
    const error = await simulate({ seed: 1 }, async () => {
      await fetch('https://missing.test/v1/x').catch(() => undefined);
      await new Promise(() => {});
    }).catch((e: unknown) => e);
    expect(SimulationDeadlockError.is(error)).toBe(true);
    expect((error as Error).message.split('\n')[0]).toContain(
      'faultline: 1 request matched no route: GET https://missing.test/v1/x; no base URL is routed.',
    );
  });
});
