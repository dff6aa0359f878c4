import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const root = fileURLToPath(new URL('.', import.meta.url))

export default defineConfig({
  resolve: {
    alias: {
      '@': root,
      // `server-only` throws outside React Server Components; under Vitest we are the server.
      'server-only': fileURLToPath(new URL('./test/support/empty.ts', import.meta.url)),
    },
  },
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['lib/**/*.test.ts', 'server/**/*.test.ts', 'bench/**/*.test.ts'], environment: 'node' },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/support/integration-setup.ts'],
          env: {
            DATABASE_URL: process.env.TEST_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/todo_test',
            AUTH_SECRET: 'integration-test-secret-0123456789abcdef',
            // Short enough for a test to watch a code expire; the code is the same as in production.
            OTP_TTL_SECONDS: '2',
          },
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // Files share one database; each test makes its own users, but the push tests
          // create and drop databases, so keep files serial for predictable timing on 2 cores.
          fileParallelism: false,
        },
      },
    ],
  },
})
