import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// SWC instead of esbuild: Nest's dependency injection needs emitted decorator metadata.
const plugins = [swc.vite({ tsconfigFile: './tsconfig.json' })];

// The three tiers, told apart by file name:
//   unit         *.spec.ts beside the code: pure logic, no I/O.
//   component    *.component.spec.ts: one app, activity or job in-process, fakes only at its outgoing ports.
//   integration  test/integration/**/*.test.ts and *.integration.spec.ts: the real services
//                (*.own-platform.test.ts: on a platform of their own, in the next project).
const sources = '{apps,packages,tools,sdk,activities,workflows,scripts}/**';
const OWN_PLATFORM = 'test/integration/**/*.own-platform.test.ts';
const INTEGRATION = {
  environment: 'node',
  testTimeout: 120_000,
  hookTimeout: 180_000,
  // One file at a time: the services are shared and the machine has two cores.
  fileParallelism: false,
} as const;

export default defineConfig({
  plugins,
  test: {
    projects: [
      {
        plugins,
        test: {
          name: 'unit',
          include: [`${sources}/*.spec.ts`],
          exclude: ['**/node_modules/**', '**/*.component.spec.ts', '**/*.integration.spec.ts'],
          environment: 'node',
        },
      },
      {
        plugins,
        test: {
          name: 'component',
          include: [`${sources}/*.component.spec.ts`],
          exclude: ['**/node_modules/**'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      {
        plugins,
        test: {
          name: 'integration',
          // Against the real services: started once for the run by the global setup.
          include: ['test/integration/**/*.test.ts', `${sources}/*.integration.spec.ts`],
          exclude: ['**/node_modules/**', OWN_PLATFORM],
          globalSetup: ['test/integration/global-setup.ts'],
          ...INTEGRATION,
        },
      },
      {
        plugins,
        test: {
          // Files that start a platform of their own and kill its parts. The test runner runs them
          // after the shared platform has stopped: beside it, on two cores, they took half as long again.
          name: 'integration-own-platform',
          include: [OWN_PLATFORM],
          exclude: ['**/node_modules/**'],
          ...INTEGRATION,
        },
      },
    ],
  },
});
