// Errors the kernel raises when a caller misuses it. These are bugs in the caller, not faults.
export class SchedulingError extends Error {
  override name = 'SchedulingError';
}
