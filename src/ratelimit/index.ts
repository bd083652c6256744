/**
 * Rate limits shared by every process through the database (token buckets).
 */
export {
  authorizeBucket,
  type BucketRule,
  drawToken,
  pruneTokenBuckets,
} from './token-bucket.js'
