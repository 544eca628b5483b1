/*
 * The real host functions, captured when faultline is first loaded, before any
 * simulation replaces the globals. The kernel steps on these; nothing else
 * should use them.
 */
export const realSetImmediate = globalThis.setImmediate;
export const realClearImmediate = globalThis.clearImmediate;
export const realSetTimeout = globalThis.setTimeout;
export const realClearTimeout = globalThis.clearTimeout;
export const realDate = globalThis.Date;
export const realPerformanceNow = performance.now.bind(performance);
export const realMathRandom = Math.random;
export const realAbortSignalTimeout = AbortSignal.timeout;
export const realFetch = globalThis.fetch;
