import { compressFrame, decompressFrame } from 'lz4-napi';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';

/**
 * kafkajs ships GZIP only. Kafka's LZ4 is the standard LZ4 frame format, which lz4-napi
 * (prebuilt, no compiler needed) reads and writes. Registered once per process.
 */
export function registerLz4Codec(): void {
  if (CompressionCodecs[CompressionTypes.LZ4]) return;
  CompressionCodecs[CompressionTypes.LZ4] = () => ({
    compress: (encoder: { buffer: Buffer }) => compressFrame(encoder.buffer),
    decompress: (buffer: Buffer) => decompressFrame(buffer),
  });
}
