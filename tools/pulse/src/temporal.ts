import { Client, Connection } from '@temporalio/client';
import { PulseError } from './console';
import { loadSettings } from './settings';

/** Runs `work` with a client of the platform's Temporal; a Temporal that does not answer is a PulseError. */
export async function withTemporal<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const settings = loadSettings();
  const connection = await Connection.connect({
    address: `127.0.0.1:${settings.TEMPORAL_PORT}`,
    connectTimeout: 10_000,
  }).catch((error: Error) => {
    throw new PulseError(
      `Temporal is not reachable: ${error.message}`,
      'start the platform with `npx pulse up --detach`',
    );
  });
  try {
    return await work(new Client({ connection }));
  } finally {
    await connection.close();
  }
}
