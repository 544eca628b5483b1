/*
 * `npm run demo:patterns`: the seed's other patterns and anti-patterns on virtual
 * time — load-balancer failover, a retry storm, and a cascading failure.
 */
import { cascadingFailureExample } from './cascading-failure.js';
import { loadBalancerFailoverExample } from './load-balancer-failover.js';
import { retryStormExample } from './retry-storm.js';

console.log('== load balancer failover: round robin, health checks, outlier ejection');
console.log(await loadBalancerFailoverExample());
console.log('\n== retry storm: 50 agents against a 10/s rate limit');
console.log(await retryStormExample());
console.log('\n== cascading failure: a slow dependency and a shared pool');
console.log(await cascadingFailureExample());
