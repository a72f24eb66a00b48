import { describe, expect, it } from 'vitest';
import { bootstrapServers, brokerPorts, kafkaServices, randomClusterId } from './kafka';

describe('kafka services', () => {
  it('should give each broker a listener and a controller port', () => {
    expect(brokerPorts({ brokerCount: 3, basePort: 9092 })).toEqual([
      { nodeId: 1, port: 9092, controllerPort: 9093 },
      { nodeId: 2, port: 9094, controllerPort: 9095 },
      { nodeId: 3, port: 9096, controllerPort: 9097 },
    ]);
    expect(bootstrapServers({ brokerCount: 2, basePort: 19092 })).toEqual(['127.0.0.1:19092', '127.0.0.1:19094']);
  });

  it('should name a lone broker kafka and numbered ones kafka-N', () => {
    const base = { basePort: 9092, dir: '/tmp/x', libDir: '/tmp/libs', version: '3.9.1', heap: '1g' };
    expect(kafkaServices({ ...base, brokerCount: 1 }).map((s) => s.name)).toEqual(['kafka']);
    expect(kafkaServices({ ...base, brokerCount: 3 }).map((s) => s.name)).toEqual(['kafka-1', 'kafka-2', 'kafka-3']);
  });

  it('should never make a cluster id that starts with a dash, which kafka-storage reads as an option', () => {
    // 0xf8 encodes as '-' (62) in URL-safe base64's first character; the second draw does not.
    const draws = [Buffer.alloc(16, 0xf8), Buffer.alloc(16, 0x10)];
    const id = randomClusterId(() => draws.shift()!);
    expect(id).toBe(Buffer.alloc(16, 0x10).toString('base64url').slice(0, 22));
    expect(draws).toHaveLength(0);
    for (let i = 0; i < 2_000; i++) expect(randomClusterId()).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  });
});
