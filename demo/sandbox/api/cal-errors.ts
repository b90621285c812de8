/** An error the sandbox answers with Cal.com's envelope (apps/api/v2/src/filters/http-exception.filter.ts). */
export class CalHttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    /** Nest's exception class name, e.g. ConflictException; derived from the status when omitted. */
    readonly code: string = CAL_EXCEPTIONS[statusCode]?.code ?? 'HttpException',
    /** False for exceptions Nest raises without a response body (TokenExpiredException): no `details`. */
    readonly withDetails = true,
  ) {
    super(message)
    this.name = 'CalHttpError'
  }
}

/**
 * Nest's exceptions as Cal.com raises them, by status: the class name (`error.code`), the reason
 * phrase (`error.details.error`) and the message it carries when none is given (a guard's 403,
 * the throttler's 429, an expired token's 498: docs/calcom.md and demo/test/calcom-examples/).
 */
export const CAL_EXCEPTIONS: Record<number, { code: string; reason: string; message: string }> = {
  400: { code: 'BadRequestException', reason: 'Bad Request', message: 'Bad Request' },
  401: { code: 'UnauthorizedException', reason: 'Unauthorized', message: 'Unauthorized' },
  403: { code: 'ForbiddenException', reason: 'Forbidden', message: 'Forbidden resource' },
  404: { code: 'NotFoundException', reason: 'Not Found', message: 'Not Found' },
  409: { code: 'ConflictException', reason: 'Conflict', message: 'Conflict' },
  429: { code: 'ThrottlerException', reason: 'Too Many Requests', message: 'ThrottlerException: Too Many Requests' },
  498: { code: 'TokenExpiredException', reason: 'Token Expired', message: 'Token Expired Exception' },
  500: { code: 'InternalServerErrorException', reason: 'Internal Server Error', message: 'Internal server error' },
  502: { code: 'BadGatewayException', reason: 'Bad Gateway', message: 'Bad Gateway' },
  503: { code: 'ServiceUnavailableException', reason: 'Service Unavailable', message: 'Service Unavailable' },
  504: { code: 'GatewayTimeoutException', reason: 'Gateway Timeout', message: 'Gateway Timeout' },
}

export interface CalErrorBody {
  status: 'error'
  timestamp: string
  path: string
  error: { code: string; message: string; details?: { message: string | string[]; error: string; statusCode: number } }
}

export function calErrorBody(o: { status: number; code: string; message: string | string[]; path: string; now: Date; details: boolean }): CalErrorBody {
  const message = Array.isArray(o.message) ? o.message.join(', ') : o.message
  const error: CalErrorBody['error'] = { code: o.code, message }
  if (o.details) error.details = { message: o.message, error: CAL_EXCEPTIONS[o.status]?.reason ?? 'Error', statusCode: o.status }
  return { status: 'error', timestamp: o.now.toISOString(), path: o.path, error }
}
