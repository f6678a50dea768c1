// Vitest settings. Many suites start the built CLI as a child process; on a shared 2-core machine a
// five-second default timeout fails them under load, so a test gets half a minute (a hang still fails it).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
  },
});
