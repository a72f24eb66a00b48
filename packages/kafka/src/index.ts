export { createKafka } from './create-kafka';
export { registerLz4Codec } from './lz4-codec';
export { sendVerified, TopicPartitionCounts, type PartitionCounts } from './verified-send';
export { consumerGroupLags, partitionLags, type PartitionLag } from './consumer-lag';
