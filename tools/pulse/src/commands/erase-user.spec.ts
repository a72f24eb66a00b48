import { describe, expect, it } from 'vitest';
import { PulseError } from '../console';
import { eraseUserInput, eraseUserWorkflowId } from './erase-user';

describe(eraseUserInput.name, () => {
  it('should pass the user, who asked, why and the anonymous ids (repeated or comma-separated, once each)', () => {
    expect(eraseUserInput('u-1', { by: 'dpo', reason: 'DSR-7', anonymousId: ['a1,a2', 'a1'] })).toEqual({
      userId: 'u-1',
      requestedBy: 'dpo',
      reason: 'DSR-7',
      anonymousIds: ['a1', 'a2'],
    });
    expect(eraseUserInput('u-1', { by: 'dpo' })).toEqual({ userId: 'u-1', requestedBy: 'dpo' });
  });

  it.each([
    ['u-1', {}],
    ['u-1', { by: ' ' }],
    [' ', { by: 'dpo' }],
  ])('should refuse %j %j', (userId, options) => {
    expect(() => eraseUserInput(userId, options)).toThrow(PulseError);
  });
});

describe(eraseUserWorkflowId.name, () => {
  it('should name the erasure by a hash of the user id, never the id', () => {
    const id = eraseUserWorkflowId('alice@example.com');
    expect(id).toMatch(/^erase-user-[0-9a-f]{16}$/);
    expect(id).not.toContain('alice');
    expect(eraseUserWorkflowId('alice@example.com')).toBe(id);
    expect(eraseUserWorkflowId('bob')).not.toBe(id);
  });
});
