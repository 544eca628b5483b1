// `faultline/adapters/opossum`'s public types as a strict consumer without opossum uses them:
// the breaker is typed structurally, so the declarations never reference the opossum package.
import { EventEmitter } from 'node:events';
import { simulate } from 'faultline';
import { instrumentOpossum, type OpossumBreaker } from 'faultline/adapters/opossum';

class Breaker extends EventEmitter implements OpossumBreaker {
  opened = false;
  halfOpen = false;
  closed = true;
  volumeThreshold = 0;
  options = { resetTimeout: 1000 };
  action = async () => 'ok';
  fire(): Promise<string> {
    this.emit('fire', []);
    return this.action();
  }
}

await simulate({ seed: 1 }, async (sim) => {
  const breaker: Breaker = instrumentOpossum(sim, 'llm', new Breaker(), { timeout: '1s' });
  const text: string = await breaker.fire();
  void text;
});
