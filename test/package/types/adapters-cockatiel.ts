// `faultline/adapters/cockatiel`'s public types as a strict consumer without cockatiel uses them:
// the policy is typed structurally, so the declarations never reference the cockatiel package.
import { simulate } from 'faultline';
import { type CockatielBreakerPolicy, instrumentCockatiel } from 'faultline/adapters/cockatiel';

const disposable = { dispose() {} };
class Policy implements CockatielBreakerPolicy {
  state = 0;
  async execute<T>(fn: (context: { signal: AbortSignal }) => PromiseLike<T> | T): Promise<T> {
    return fn({ signal: new AbortController().signal });
  }
  onHalfOpen = () => disposable;
  onStateChange = () => disposable;
  onSuccess = () => disposable;
  onFailure = () => disposable;
}

await simulate({ seed: 1 }, async (sim) => {
  const policy: Policy = instrumentCockatiel(sim, 'llm', new Policy(), {
    failureThreshold: 3,
    timeout: '1s',
  });
  const text: string = await policy.execute(async () => 'ok');
  void text;
});
