// The network boundary from the installed tarball: node:http answered by a route on virtual
// time, every other connection refused with NetworkRefusedError, node:http and net back after.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { NetworkRefusedError, simulate, UnmatchedRequestError } from 'faultline';

const realGet = http.get;
const realConnect = net.Socket.prototype.connect;

const result = await simulate({ seed: 1 }, async (sim) => {
  sim.http('http://svc.test', async () => {
    await new Promise((resolve) => setTimeout(resolve, 120));
    return new Response('routed');
  });
  const body = await new Promise((resolve, reject) => {
    http
      .get('http://svc.test/x', (res) => {
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => resolve(text));
      })
      .on('error', reject);
  });
  const unmatched = await new Promise((resolve) => {
    http.get('http://elsewhere.test/', () => resolve('answered')).on('error', resolve);
  });
  const refused = await new Promise((resolve) => {
    net
      .connect(9, '127.0.0.1')
      .on('error', resolve)
      .on('connect', () => resolve('connected'));
  });
  return { body, at: sim.now(), unmatched, refused };
});
assert.equal(result.outcome, 'ok', String(result.error));
assert.equal(result.value.body, 'routed');
assert.equal(result.value.at, 120);
assert.ok(UnmatchedRequestError.is(result.value.unmatched), String(result.value.unmatched));
assert.ok(NetworkRefusedError.is(result.value.refused), String(result.value.refused));
assert.match(result.value.refused.message, /faultline refused a real connection to 127\.0\.0\.1:9/);
assert.equal(http.get, realGet);
assert.equal(net.Socket.prototype.connect, realConnect);
