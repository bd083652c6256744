/**
 * Rate limits shared by every process through the database (token buckets).
 */
export {
  authorizeBucket,
  type BucketRule,
  type BucketVerdict,
  bucketWaitMs,
  drawToken,
  pruneTokenBuckets,
  takeBucketToken,
} from './token-bucket.js'
