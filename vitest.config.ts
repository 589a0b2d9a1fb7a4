import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Loopback timing tests are sensitive to a busy machine; run files in separate forks
    // but not too many at once on a 2-core box.
    pool: 'forks',
    maxWorkers: 2
  }
})
