import type fc from 'fast-check';
import { expect } from 'vitest';
import {
  type CheckResilienceOptions,
  checkResilience,
  ResilienceCheckError,
} from '../../../src/properties/check-resilience.js';

/** Runs the property and returns the `ResilienceCheckError` it must reject with. */
export async function caught<A extends Record<string, fc.Arbitrary<unknown>>>(
  options: CheckResilienceOptions<A>,
): Promise<ResilienceCheckError> {
  const error = await checkResilience(options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ResilienceCheckError);
  return error as ResilienceCheckError;
}
