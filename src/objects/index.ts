/**
 * Ping bodies in S3-compatible object storage (issue 13 §5, Healthchecks' S3_* settings): the
 * store, where a body goes, reading it back, moving bodies that waited, deleting pruned objects.
 * Other features import from here only.
 */
export { type BodyStore, bodyStoreFor } from './body-store.js'
export { countWaitingBodies, moveWaitingBodies } from './move-waiting-bodies.js'
export { encodeSequence, healthchecksObjectKey } from './object-keys.js'
export {
  belongsInObjectStore,
  discardPlacedBody,
  OBJECT_BODY_THRESHOLD,
  type PlacedBody,
  placePingBody,
  readPingBody,
} from './ping-bodies.js'
export { deletePrunableObjects } from './prune-objects.js'
