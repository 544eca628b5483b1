import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Examples import 'faultline' as users do; tests run them against the sources.
    alias: [
      { find: /^faultline$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
      {
        find: /^faultline\/property$/,
        replacement: fileURLToPath(new URL('./src/properties/index.ts', import.meta.url)),
      },
      {
        find: /^faultline\/adapters$/,
        replacement: fileURLToPath(new URL('./src/adapters/index.ts', import.meta.url)),
      },
      {
        find: /^faultline\/vitest$/,
        replacement: fileURLToPath(new URL('./src/matchers/vitest.ts', import.meta.url)),
      },
      {
        find: /^faultline\/matchers$/,
        replacement: fileURLToPath(new URL('./src/matchers/matchers.ts', import.meta.url)),
      },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
