import type { StoredEvent } from './queue-store';

export interface QueueBounds {
  maxEvents: number;
  maxBytes: number;
}

/**
 * Which events to drop so the queue fits its bounds: the oldest first, since a long-offline
 * visitor's latest activity is worth more than what happened hours ago.
 */
export function planEviction(oldestFirst: readonly StoredEvent[], bounds: QueueBounds): string[] {
  let count = oldestFirst.length;
  let bytes = oldestFirst.reduce((sum, event) => sum + event.bytes, 0);
  const evicted: string[] = [];
  for (const event of oldestFirst) {
    if (count <= bounds.maxEvents && bytes <= bounds.maxBytes) break;
    evicted.push(event.id);
    count -= 1;
    bytes -= event.bytes;
  }
  return evicted;
}
