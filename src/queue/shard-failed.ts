// The problem a listing gets when its shard failed for good: it was not audited, and the run says so.
import type { ListingRecord, Problem } from "../model.js";

export const SHARD_FAILED_CODE = "run/shard-failed";

export function shardFailedProblem(record: ListingRecord, index: number, reason: string): Problem {
  return {
    code: SHARD_FAILED_CODE,
    message: `not audited: shard ${index} of the distributed run failed for good (${reason})`,
    zh: `未审核：分布式运行的第 ${index} 个分片最终失败（${reason}）`,
    source: record.source,
    listingId: record.listing.id,
  };
}
