/** The signals of one model call: the caller's cancellation combined with the call's own timeout. */
export interface CallDeadline {
  /** Fires when either the caller aborts or the timeout runs out; pass it to the SDK. */
  signal: AbortSignal;
  /** Fires only when the timeout runs out (tells a timeout from a cancellation). */
  timeoutSignal: AbortSignal;
  timeoutMs: number;
}

export function callDeadline(callerSignal: AbortSignal | undefined, timeoutMs: number): CallDeadline {
  const timeoutSignal = AbortSignal.timeout(timeoutMs);
  return {
    signal: callerSignal ? AbortSignal.any([callerSignal, timeoutSignal]) : timeoutSignal,
    timeoutSignal,
    timeoutMs,
  };
}

/** Waits `ms`, or rejects with the signal's reason as soon as it fires. */
export function abortableDelay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
