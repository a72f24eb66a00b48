import { uuidv7 } from '@social-pulse/events';

/**
 * UUID v7 event ids that sort in the order a tab made them, even within one millisecond
 * (RFC 9562 method 1: a counter in the 12 rand_a bits). The queue sends oldest id first, so
 * this keeps events in the order they were tracked.
 */
export function createEventIds(): (now: number) => string {
  let lastMs = -1;
  let counter = 0;
  return (now) => {
    let ms = Math.max(now, lastMs);
    if (ms === lastMs) counter += 1;
    else counter = 0;
    if (counter > 0xfff) {
      ms += 1; // 4096 ids in one millisecond: borrow the next one
      counter = 0;
    }
    lastMs = ms;
    const id = uuidv7(ms);
    return `${id.slice(0, 15)}${counter.toString(16).padStart(3, '0')}${id.slice(18)}`;
  };
}
