import { dist, simulate } from 'faultline';

// Two agents share a flaky, slow dependency; everything runs on virtual time.
const result = await simulate({ seed: 42 }, async (sim) => {
  const latency = dist.lognormal({ median: '800ms', p99: '6s' });
  const callLlm = async (agent: string, prompt: string) => {
    await sim.sleep(sim.random.sample(latency));
    if (Math.random() < 0.2) throw new Error(`503 from llm (${agent})`);
    return `answer to ${prompt}`;
  };
  const agent = (name: string) =>
    sim.spawn(name, async () => {
      for (let i = 0; i < 3; i++) {
        const answer = await callLlm(name, `q${i}`).catch((e: Error) => e.message);
        sim.emit('agent.answer', { i, answer }, name);
      }
    });
  await Promise.all([agent('researcher'), agent('writer')]);
  return sim.now();
});

console.log(`seed ${result.seed}, ${result.trace.length} events, virtual time ${result.unwrap()} ms`);
console.log(result.trace.format({ kinds: ['agent'] }));
console.log(`trace hash ${result.trace.hash}`);
