/**
 * # robots.txt (RFC 9309)
 *
 * The one import for the engine: rules and matching (robots-rules.ts, §2.2), fetching with the
 * status classes, redirects and size limit (robots-fetch.ts, §2.3, §2.5), and the per-origin
 * cache that fetches once and retries an unreachable file later (robots-cache.ts, §2.3.1.4, §2.4).
 * A blocked URL becomes a result with code ROBOTS_DISALLOWED (robotsFailure), never a silent drop.
 */
import type { RequestFailure } from '../../../shared/errors.ts'
import type { RobotsVerdict } from './robots-rules.ts'

export {
  ALLOWED,
  productToken,
  robotsOrigin,
  robotsTxtUrl,
  RobotsRules,
  type RobotsVerdict
} from './robots-rules.ts'
export {
  decodeRobots,
  fetchRobots,
  ROBOTS_MAX_REDIRECTS,
  ROBOTS_MIN_BYTES,
  ROBOTS_TIMEOUT_MS,
  type FetchRobotsOptions,
  type RobotsOutcome
} from './robots-fetch.ts'
export {
  clockTime,
  ROBOTS_CACHE_DEFAULTS,
  RobotsCache,
  unreachableRetryDelayMs,
  type RobotsCacheOptions,
  type RobotsStatus
} from './robots-cache.ts'

/** The failed result for a URL robots.txt blocks: not retryable, reported under ROBOTS_DISALLOWED. */
export function robotsFailure(verdict: Extract<RobotsVerdict, { allowed: false }>): RequestFailure {
  return { code: 'ROBOTS_DISALLOWED', phase: 'policy', retryable: false, message: verdict.message }
}
