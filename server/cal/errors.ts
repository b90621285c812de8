import { AppError } from '../errors.js'

export type CalFailure = 'http' | 'rate_limited' | 'timeout' | 'unreachable' | 'bad_response'

/**
 * A call to Cal.com that did not succeed. It is an AppError, so a route that lets it through
 * answers 502/503/504 in our error shape; `calStatus` keeps Cal.com's own status for callers
 * that handle some of them (409 on create, 498/401/403 on a managed user's token).
 */
export class CalError extends AppError {
  constructor(
    readonly failure: CalFailure,
    readonly operation: string,
    status: number,
    code: string,
    message: string,
    headers: Record<string, string> = {},
    readonly calStatus?: number,
    readonly calMessage?: string,
  ) {
    super(status, code, message, headers)
    this.name = 'CalError'
  }

  static http(operation: string, calStatus: number, calMessage?: string) {
    return new CalError('http', operation, 502, 'cal_error', `Cal.com answered ${calStatus} to ${operation}; try again later.`, {}, calStatus, calMessage)
  }

  static rateLimited(operation: string, retryAfterSeconds: number) {
    return new CalError('rate_limited', operation, 503, 'cal_rate_limited', `Cal.com is rate limiting us; retry after ${retryAfterSeconds} s.`, { 'retry-after': String(retryAfterSeconds) }, 429)
  }

  static timeout(operation: string) {
    return new CalError('timeout', operation, 504, 'cal_timeout', `Cal.com did not answer ${operation} in time; try again later.`, { 'retry-after': '5' })
  }

  static unreachable(operation: string) {
    return new CalError('unreachable', operation, 502, 'cal_unreachable', `Could not reach Cal.com for ${operation} (connection failed); try again later.`)
  }

  static badResponse(operation: string, calStatus: number) {
    return new CalError('bad_response', operation, 502, 'cal_error', `Cal.com's answer to ${operation} was not what its API documents; try again later.`, {}, calStatus)
  }
}

export const isCalError = (error: unknown, calStatus?: number): error is CalError =>
  error instanceof CalError && (calStatus === undefined || error.calStatus === calStatus)
