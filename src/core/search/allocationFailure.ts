/**
 * The error V8 throws when the machine has no room for an ArrayBuffer or SharedArrayBuffer (a typed
 * array's too): the searches turn it into their memory bound, so a run that outgrows the machine ends
 * `bounded (memory)` with what it found, instead of failing. Other RangeErrors (a bad length, a deep
 * recursion) are bugs and stay errors.
 */
export function isAllocationFailure(error: unknown): boolean {
  return error instanceof RangeError && /allocation failed/i.test(error.message);
}

/** What `make` returns, or undefined when the machine had no room for an array it needed. */
export function unlessOutOfMemory<T>(make: () => T): T | undefined {
  try {
    return make();
  } catch (error) {
    if (isAllocationFailure(error)) return undefined;
    throw error;
  }
}
