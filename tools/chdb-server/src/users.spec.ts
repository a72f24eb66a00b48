import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkSettingChanges, defaultUsers, profileReadonly, usersFrom } from './users';

describe(usersFrom.name, () => {
  const users = usersFrom(
    {
      users: {
        admin: { password: 's3cret' },
        analyst: {
          password_sha256_hex: createHash('sha256').update('look').digest('hex'),
          profile: 'readonly',
          database: 'dash',
        },
        tuned: { password: '', profile: 'fast' },
      },
      profiles: { fast: { max_threads: 1 } },
    },
    'test',
  );

  it('should let a user in with the right password and carry the profile', () => {
    expect(users.authenticate('admin', 's3cret')).toMatchObject({ name: 'admin', profile: {} });
    expect(users.authenticate('analyst', 'look')).toMatchObject({
      profile: { readonly: '1' },
      database: 'dash',
    });
    expect(users.authenticate('tuned', '')).toMatchObject({ profile: { max_threads: '1' } });
  });

  it('should refuse a wrong password and an unknown user alike', () => {
    expect(() => users.authenticate('admin', 'guess')).toThrow(/admin: Authentication failed/);
    expect(() => users.authenticate('nobody', '')).toThrow(/nobody: Authentication failed/);
  });

  it('should name the problem in a bad users file', () => {
    expect(() => usersFrom({ users: { a: {} } }, 'CLICKHOUSE_USERS_FILE="x"')).toThrow(
      /CLICKHOUSE_USERS_FILE="x": user "a" needs "password"/,
    );
    expect(() => usersFrom({ users: { a: { password: '', profile: 'nope' } } }, 'f')).toThrow(/unknown profile "nope"/);
    expect(() => usersFrom({ users: { a: { password: '', profile: { readonly: 1 } } } }, 'f')).toThrow(
      /user "a": profile must be a string/,
    );
    expect(() => usersFrom([], 'f')).toThrow(/expected an object/);
  });
});

describe(defaultUsers.name, () => {
  it('should know one user, default, without a password', () => {
    expect(defaultUsers().authenticate('default', '').name).toBe('default');
    expect(() => defaultUsers().authenticate('default', 'x')).toThrow(/Authentication failed/);
  });
});

describe(checkSettingChanges.name, () => {
  it('should refuse URL readonly=0 (or any other level) from a readonly user, with READONLY', () => {
    const reader = { profile: { readonly: '1' } };
    expect(() => checkSettingChanges(reader, [['readonly', '0']])).toThrow(
      expect.objectContaining({ code: 164, type: 'READONLY' }),
    );
    expect(() => checkSettingChanges(reader, [['readonly', '2']])).toThrow(/Cannot modify 'readonly' setting/);
    expect(() => checkSettingChanges({ profile: { readonly: '2' } }, [['readonly', '0']])).toThrow(/readonly mode/);
  });

  it('should let the same level through, and let a writer ask for readonly', () => {
    expect(() => checkSettingChanges({ profile: { readonly: '1' } }, [['readonly', '1']])).not.toThrow();
    expect(() => checkSettingChanges({ profile: {} }, [['readonly', '0']])).not.toThrow();
    expect(() => checkSettingChanges({ profile: {} }, [['readonly', '1']])).not.toThrow();
    expect(profileReadonly({ profile: {} })).toBe('0');
    expect(profileReadonly({ profile: { readonly: 'true' } })).toBe('1');
  });
});
