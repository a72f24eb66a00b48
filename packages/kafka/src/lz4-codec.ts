import { compressFrame, decompressFrame } from 'lz4-napi';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';

/**
 * kafkajs ships GZIP only. Kafka's LZ4 is the standard LZ4 frame format, which lz4-napi
 * (prebuilt, no compiler needed) reads and writes. Registered once per process.
 */
let registered = false;

export function registerLz4Codec(): void {
  // kafkajs's own LZ4 entry only throws "not implemented", so it is replaced, once.
  if (registered) return;
  registered = true;
  CompressionCodecs[CompressionTypes.LZ4] = () => ({
    compress: (encoder: { buffer: Buffer }) => compressFrame(encoder.buffer),
    decompress: (buffer: Buffer) => decompressFrame(buffer),
  });
}
