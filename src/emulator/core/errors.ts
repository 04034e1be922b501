// The contract's error bodies (section 8). One class so every front turns it into the same answer.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(typeof body.message === 'string' ? body.message : `HTTP ${status}`)
  }
}

export const TOKEN_FAILED = 'Token validation failed for provided token.'
export const CONVERSATION_NOT_FOUND = 'The conversationId is either invalid or does not exist.'

export const badRequest = (message: string): ApiError => new ApiError(400, { message })
export const unauthorized = (message = TOKEN_FAILED): ApiError => new ApiError(401, { message })
export const notFound = (message = CONVERSATION_NOT_FOUND): ApiError => new ApiError(404, { message })
export const methodNotAllowed = (): ApiError => new ApiError(405, { message: 'Method not allowed.' })
// 413 body is not documented for these endpoints (only the Management API mentions 413); we use the usual shape.
export const payloadTooLarge = (limit: number): ApiError =>
  new ApiError(413, { message: `Request body exceeds the limit of ${limit} bytes.` })
export const tooManyJobs = (limit: number): ApiError =>
  new ApiError(429, {
    statusCode: 429,
    message: `This API has a limit of maximum of \`${limit}\` number of concurrent jobs per account. If you are looking to scale, and need more concurrent jobs than this limit, please contact us at support@symbl.ai`,
  })
