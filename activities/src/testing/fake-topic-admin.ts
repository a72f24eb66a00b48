import type { DescribeConfigResponse } from 'kafkajs';
import type { TopicAdmin } from '../kafka-topics';

interface FakeTopic {
  partitions: number;
  replicas: number;
  configs: Map<string, string>;
}

/**
 * An in-memory Kafka cluster behind the admin calls the topic reconciliation makes (TopicAdmin), for
 * component tests: topics with partitions, a replication factor and configs. Each call is recorded by
 * name; a topic's configs are replaced whole by alterConfigs, as Kafka's non-incremental call does.
 */
export class FakeTopicAdmin implements TopicAdmin {
  readonly topics = new Map<string, FakeTopic>();
  readonly calls: string[] = [];

  constructor(public brokers = 1) {}

  addTopic(name: string, partitions: number, configs: Record<string, string> = {}, replicas = 1): void {
    this.topics.set(name, { partitions, replicas, configs: new Map(Object.entries(configs)) });
  }

  describeCluster: TopicAdmin['describeCluster'] = async () => {
    this.calls.push('describeCluster');
    return {
      brokers: Array.from({ length: this.brokers }, (_, i) => ({ nodeId: i + 1, host: 'kafka', port: 9092 + i })),
      controller: 1,
      clusterId: 'fake',
    };
  };

  listTopics: TopicAdmin['listTopics'] = async () => {
    this.calls.push('listTopics');
    return [...this.topics.keys()];
  };

  createTopics: TopicAdmin['createTopics'] = async ({ topics }) => {
    this.calls.push('createTopics');
    for (const t of topics) {
      if (this.topics.has(t.topic)) continue;
      const configs = Object.fromEntries((t.configEntries ?? []).map((e) => [e.name, e.value]));
      this.addTopic(t.topic, t.numPartitions ?? 1, configs, t.replicationFactor ?? 1);
    }
    return true;
  };

  fetchTopicMetadata: TopicAdmin['fetchTopicMetadata'] = async (options) => {
    this.calls.push('fetchTopicMetadata');
    const names = options?.topics ?? [...this.topics.keys()];
    return {
      topics: names.map((name) => {
        const topic = this.topics.get(name);
        if (!topic) throw new Error(`This server does not host this topic-partition: ${name}`);
        return {
          name,
          partitions: Array.from({ length: topic.partitions }, (_, partitionId) => ({
            partitionErrorCode: 0,
            partitionId,
            leader: 1,
            replicas: Array.from({ length: topic.replicas }, (_, r) => r + 1),
            isr: Array.from({ length: topic.replicas }, (_, r) => r + 1),
            offlineReplicas: [],
          })),
        };
      }),
    };
  };

  describeConfigs: TopicAdmin['describeConfigs'] = async ({ resources }) => {
    this.calls.push('describeConfigs');
    return {
      throttleTime: 0,
      resources: resources.map((resource) => ({
        errorCode: 0,
        errorMessage: '',
        resourceType: resource.type,
        resourceName: resource.name,
        configEntries: (resource.configNames ?? []).map((configName) => ({
          configName,
          configValue: this.topics.get(resource.name)?.configs.get(configName) ?? 'default',
          readOnly: false,
          isDefault: !this.topics.get(resource.name)?.configs.has(configName),
          configSource: 1,
          isSensitive: false,
          configSynonyms: [],
        })),
      })),
    } satisfies DescribeConfigResponse;
  };

  alterConfigs: TopicAdmin['alterConfigs'] = async ({ resources }) => {
    this.calls.push('alterConfigs');
    for (const resource of resources) {
      const topic = this.topics.get(resource.name)!;
      topic.configs = new Map(resource.configEntries.map((e) => [e.name, e.value]));
    }
    // kafkajs types the answer as any; the reconciliation does not read it.
    return { throttleTime: 0, resources: [] };
  };

  createPartitions: TopicAdmin['createPartitions'] = async ({ topicPartitions }) => {
    this.calls.push('createPartitions');
    for (const { topic, count } of topicPartitions) this.topics.get(topic)!.partitions = count;
    return true;
  };
}
