// `faultline/adapters`' public types as a strict consumer uses them.
import { simulate } from 'faultline';
import {
  type BreakerLike,
  type InstrumentedBreaker,
  instrumentBreaker,
  instrumentRetry,
} from 'faultline/adapters';

class Mine implements BreakerLike {
  state: 'closed' | 'open' | 'half-open' = 'closed';
  async execute<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }
}

await simulate({ seed: 1 }, async (sim) => {
  const b: InstrumentedBreaker = instrumentBreaker(sim, 'mine', new Mine(), {
    failureThreshold: 3,
    successThreshold: 1,
    timeout: '1s',
    maxConcurrentCalls: 1,
  });
  const r = instrumentRetry(
    sim,
    'mine',
    { execute: (fn) => fn() },
    {
      maxRetries: 2,
      baseDelay: '100ms',
      maxDelay: '1s',
      backoffFactor: 2,
      jitter: 'full',
    },
  );
  const text: string = await r.execute(() => b.execute(async () => 'ok'));
  void text;
});
