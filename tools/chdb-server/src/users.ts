import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ClickHouseError } from './clickhouse-error';

/** A user as the users file describes it; passwords are kept only as SHA-256 digests. */
export interface User {
  name: string;
  passwordSha256: Buffer;
  /** Settings applied before each of the user's queries, e.g. { readonly: '1' }. */
  profile: Record<string, string>;
  /** The current database when a request names none. */
  database?: string;
}

export interface UserDirectory {
  authenticate(name: string, password: string): User;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** Profiles every server knows; a users file may add more or redefine these. */
const BUILT_IN_PROFILES: Record<string, Record<string, string>> = {
  default: {},
  readonly: { readonly: '1' },
};

/** One machine, one user: `default` without a password, as a fresh ClickHouse install. */
export function defaultUsers(): UserDirectory {
  return usersFrom({ users: { default: { password: '' } } }, 'built-in');
}

/**
 * Reads a JSON users file:
 * `{ "users": { "name": { "password" | "password_sha256_hex", "profile"?, "database"? } }, "profiles"?: { "name": { setting: value } } }`.
 * Throws with the file name and the problem, so a bad file stops start-up.
 */
export function loadUsersFile(path: string): UserDirectory {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`CLICKHOUSE_USERS_FILE=${JSON.stringify(path)}: ${(error as Error).message}`, { cause: error });
  }
  return usersFrom(parsed, `CLICKHOUSE_USERS_FILE=${JSON.stringify(path)}`);
}

export function usersFrom(parsed: unknown, source: string): UserDirectory {
  const fail = (problem: string): never => {
    throw new Error(`${source}: ${problem}`);
  };
  if (!isObject(parsed) || !isObject(parsed.users)) return fail('expected an object with a "users" object');
  const profiles: Record<string, Record<string, string>> = { ...BUILT_IN_PROFILES };
  if (parsed.profiles !== undefined) {
    if (!isObject(parsed.profiles)) return fail('"profiles" must be an object');
    for (const [name, settings] of Object.entries(parsed.profiles)) {
      if (!isObject(settings)) return fail(`profile "${name}" must be an object of settings`);
      profiles[name] = Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, String(v)]));
    }
  }
  const users = new Map<string, User>();
  for (const [name, spec] of Object.entries(parsed.users)) {
    if (!isObject(spec)) return fail(`user "${name}" must be an object`);
    let digest: Buffer;
    if (typeof spec.password_sha256_hex === 'string') {
      if (!/^[0-9a-fA-F]{64}$/.test(spec.password_sha256_hex))
        return fail(`user "${name}": password_sha256_hex must be 64 hex digits`);
      digest = Buffer.from(spec.password_sha256_hex, 'hex');
    } else if (typeof spec.password === 'string') {
      digest = sha256(spec.password);
    } else {
      return fail(`user "${name}" needs "password" or "password_sha256_hex"`);
    }
    if (spec.profile !== undefined && typeof spec.profile !== 'string')
      return fail(`user "${name}": profile must be a string`);
    const profileName = spec.profile ?? 'default';
    const profile = profiles[profileName] ?? fail(`user "${name}": unknown profile "${profileName}"`);
    if (spec.database !== undefined && typeof spec.database !== 'string')
      return fail(`user "${name}": database must be a string`);
    users.set(name, {
      name,
      passwordSha256: digest,
      profile,
      database: spec.database,
    });
  }
  if (users.size === 0) return fail('no users defined');
  return {
    authenticate(name, password) {
      const user = users.get(name);
      // Compare digests in constant time, and compare even for an unknown user, so timing tells nothing.
      const matches = timingSafeEqual(sha256(password), user?.passwordSha256 ?? sha256(`\0${password}`));
      if (!user || !matches) {
        throw ClickHouseError.of(
          'AUTHENTICATION_FAILED',
          `${name}: Authentication failed: password is incorrect, or there is no user with such name`,
        );
      }
      return user;
    },
  };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The user's profile readonly level: '0' (may write), '1' (reads only, no settings) or '2' (reads and settings). */
export function profileReadonly(user: Pick<User, 'profile'>): string {
  const value = user.profile.readonly;
  return value === undefined || value === '' || value === 'false' ? '0' : value === 'true' ? '1' : value;
}

/**
 * Refuses, before anything runs, a request whose URL settings would lift its user's read-only
 * profile (`?readonly=0` from a readonly user), as ClickHouse's settings constraints do. The
 * engine refuses the other changes a readonly profile forbids once the profile is applied.
 */
export function checkSettingChanges(user: Pick<User, 'profile'>, settings: ReadonlyArray<[string, string]>): void {
  const level = profileReadonly(user);
  if (level === '0') return;
  for (const [name, value] of settings) {
    if (name === 'readonly' && value !== level)
      throw ClickHouseError.of('READONLY', "Cannot modify 'readonly' setting in readonly mode");
  }
}
