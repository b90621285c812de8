/** An error the sandbox answers with Cal.com's envelope (apps/api/v2/src/filters/http-exception.filter.ts). */
export class CalHttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    /** Nest's exception class name, e.g. ConflictException; derived from the status when omitted. */
    readonly code: string = EXCEPTION_NAMES[statusCode]?.[0] ?? 'HttpException',
    /** False for exceptions Nest raises without a response body (TokenExpiredException): no `details`. */
    readonly withDetails = true,
  ) {
    super(message)
    this.name = 'CalHttpError'
  }
}

const EXCEPTION_NAMES: Record<number, [string, string]> = {
  400: ['BadRequestException', 'Bad Request'],
  401: ['UnauthorizedException', 'Unauthorized'],
  403: ['ForbiddenException', 'Forbidden'],
  404: ['NotFoundException', 'Not Found'],
  409: ['ConflictException', 'Conflict'],
  429: ['ThrottlerException', 'Too Many Requests'],
  498: ['TokenExpiredException', 'Token Expired'],
  500: ['InternalServerErrorException', 'Internal Server Error'],
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
  if (o.details) error.details = { message: o.message, error: EXCEPTION_NAMES[o.status]?.[1] ?? 'Error', statusCode: o.status }
  return { status: 'error', timestamp: o.now.toISOString(), path: o.path, error }
}
