// `faultline/matchers`: the raw object for expect.extend, and the matcher types it brings.
import { type FaultlineMatchers, isSimulationResult, matchers } from 'faultline/matchers';
import { expect } from 'vitest';

expect.extend(matchers);
const names: (keyof FaultlineMatchers)[] = ['toHaveTrippedBreaker', 'toBeDeterministic'];
const known: boolean = isSimulationResult({});
void [names, known];
