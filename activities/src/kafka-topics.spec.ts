import { TOPICS } from '@social-pulse/shared';
import { describe, expect, it } from 'vitest';
import { topicConfigs } from './kafka-topics';

const setting = (config: ReturnType<typeof topicConfigs>[number], name: string) =>
  config.configEntries!.find((e) => e.name === name)?.value;

describe(topicConfigs.name, () => {
  it('should create the design partition counts with lz4', () => {
    const configs = topicConfigs(1);
    expect(Object.fromEntries(configs.map((c) => [c.topic, c.numPartitions]))).toMatchObject({
      'user-events': 32,
      'content-events': 32,
      'ad-events': 16,
    });
    for (const config of configs) expect(setting(config, 'compression.type')).toBe('lz4');
  });

  it('should replicate once with min ISR 1 on a single broker', () => {
    expect(
      topicConfigs(1)
        .map((c) => c.topic)
        .sort(),
    ).toEqual(Object.values(TOPICS).sort());
    for (const config of topicConfigs(1)) {
      expect(config.replicationFactor).toBe(1);
      expect(setting(config, 'min.insync.replicas')).toBe('1');
    }
  });

  it('should replicate three times with min ISR 2 from three brokers on', () => {
    for (const brokers of [3, 5]) {
      expect(
        topicConfigs(brokers)
          .map((c) => c.topic)
          .sort(),
      ).toEqual(Object.values(TOPICS).sort());
      for (const config of topicConfigs(brokers)) {
        expect(config.replicationFactor).toBe(3);
        expect(setting(config, 'min.insync.replicas')).toBe('2');
      }
    }
  });
});
