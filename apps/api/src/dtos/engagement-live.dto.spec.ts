import { describe, expect, it } from 'vitest';
import { liveRow } from '../testing/engagement.fixtures';
import { mapLiveEngagement } from './engagement-live.dto';

describe(mapLiveEngagement.name, () => {
  const READ_AT = new Date('2025-06-01T12:00:00.000Z');

  it('should map the live row to numbers, with the read time as data time', () => {
    expect(mapLiveEngagement(liveRow(), READ_AT)).toEqual({
      data: {
        active_users: 10,
        active_sessions: 12,
        users_last_5_minutes: 25,
        sessions_last_5_minutes: 27,
        events_last_5_minutes: 310,
      },
      data_time: '2025-06-01T12:00:00.000Z',
      computed_at: '2025-06-01T12:00:00.000Z',
    });
  });

  it('should read no row as nobody active', () => {
    expect(mapLiveEngagement(undefined, READ_AT).data).toEqual({
      active_users: 0,
      active_sessions: 0,
      users_last_5_minutes: 0,
      sessions_last_5_minutes: 0,
      events_last_5_minutes: 0,
    });
  });
});
