/** Structural limits on free-form parts of an event (properties, context), checked before any recursion. */
export interface ShapeLimits {
  /**
   * Deepest nesting of objects and arrays below the value checked: for an event, `properties`
   * and `context` are level 1, so each may hold maxDepth levels of nesting itself included.
   */
  maxDepth: number;
  /** Longest string value, in characters. */
  maxStringLength: number;
  /** Longest object key, in characters. */
  maxKeyLength: number;
}

export const DEFAULT_SHAPE_LIMITS: ShapeLimits = { maxDepth: 10, maxStringLength: 8192, maxKeyLength: 256 };

/**
 * Walks a parsed JSON value without recursion (a hostile body may nest thousands of levels, which
 * would overflow the stack of a recursive walk or of JSON.stringify) and returns the first
 * violated limit as a reason, or undefined when the value is within every limit.
 */
export function checkShape(value: unknown, limits: ShapeLimits = DEFAULT_SHAPE_LIMITS): string | undefined {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value, depth: -1, path: '' }];
  while (stack.length > 0) {
    const { value: current, depth, path } = stack.pop()!;
    if (typeof current === 'string') {
      if (current.length > limits.maxStringLength) {
        return `${path || 'event'}: string of ${current.length} characters; the limit is ${limits.maxStringLength}`;
      }
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    const level = depth + 1;
    if (level > limits.maxDepth) return `${path || 'event'}: nested deeper than ${limits.maxDepth} levels`;
    if (Array.isArray(current)) {
      current.forEach((item, i) => stack.push({ value: item, depth: level, path: `${path}[${i}]` }));
      continue;
    }
    for (const [key, item] of Object.entries(current)) {
      const keyPath = path ? `${path}.${key.slice(0, 40)}` : key.slice(0, 40);
      if (key.length > limits.maxKeyLength)
        return `${keyPath}: key of ${key.length} characters; the limit is ${limits.maxKeyLength}`;
      stack.push({ value: item, depth: level, path: keyPath });
    }
  }
  return undefined;
}
