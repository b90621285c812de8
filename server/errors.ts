import { z } from 'zod'

/** An error the caller should see as it is: status, a stable code, and a message saying what to do. */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
    this.name = 'AppError'
  }
}

/** The one error reply, as route schemas declare it for each error status they answer. */
export const ErrorReply = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
}).meta({ id: 'Error' })

export interface ErrorBody {
  error: { code: string; message: string; issues?: { path: string; message: string }[] }
}

export function errorBody(code: string, message: string, issues?: { path: string; message: string }[]): ErrorBody {
  return { error: issues ? { code, message, issues } : { code, message } }
}
