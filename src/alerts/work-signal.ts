/**
 * The in-process wake-up: code that queues notifications (flip processing, a test notification
 * from the web) calls signalNotificationsQueued() after its commit, and the worker's sender in the
 * same process claims them at once instead of at its next poll. Only a hint: other processes
 * still find the rows within WORKER_POLL_MS, and nothing is lost when no one listens.
 */

type Listener = () => void
const listeners = new Set<Listener>()

/** Wakes every sender running in this process. */
export function signalNotificationsQueued(): void {
  for (const l of listeners) l()
}

/** Registers a sender; returns the function that unregisters it. */
export function onNotificationsQueued(listener: Listener): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/**
 * The same hint for flips: the going-down step and a ping that flips a check call
 * signalFlipsQueued() after their commit, and the worker in this process turns the flips into
 * notifications at once (which in turn wakes the sender).
 */
const flipListeners = new Set<Listener>()

/** Wakes every worker's flip processing in this process. */
export function signalFlipsQueued(): void {
  for (const l of flipListeners) l()
}

/** Registers a flip processor; returns the function that unregisters it. */
export function onFlipsQueued(listener: Listener): () => void {
  flipListeners.add(listener)
  return () => flipListeners.delete(listener)
}
