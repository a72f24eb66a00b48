import { PulseError } from '../console';
import { run } from '../processes';

/** Fails with a clear message when a tool the platform needs is not installed. */
export async function requireCommand(command: string, args: string[], why: string): Promise<void> {
  try {
    await run(command, args);
  } catch {
    throw new PulseError(`${command} is missing or broken: ${why}.`, `install ${command} and run again`);
  }
}
