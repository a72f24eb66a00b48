import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// SWC instead of esbuild: Nest's dependency injection needs emitted decorator metadata.
const plugins = [swc.vite({ tsconfigFile: './tsconfig.json' })];

export default defineConfig({
  plugins,
  test: {
    projects: [
      {
        plugins,
        test: {
          name: 'unit',
          include: ['{apps,packages,tools,sdk,activities}/**/*.spec.ts'],
          exclude: ['**/node_modules/**'],
          environment: 'node',
        },
      },
      {
        plugins,
        test: {
          name: 'integration',
          // Against the real services: started once for the run by the global setup.
          include: ['test/integration/**/*.test.ts', 'workflows/**/*.spec.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // One file at a time: the services are shared and the machine has two cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
