import type { ErrorCode } from '@roster/protocol';

/**
 * The one error type the domain throws. It names a code from `ERROR_CODES`; the HTTP layer
 * looks up the status and message there. Never pick a status at the throw site.
 */
export class AppError extends Error {
  readonly meta: Record<string, unknown> | undefined;
  readonly retryAfterSeconds: number | undefined;
  /**
   * Further reasons for the same refusal (a bulk create refused for duplicates and for members,
   * say): each becomes an entry of the error body after this one; the status stays this code's.
   */
  readonly also: readonly AppError[];

  constructor(
    readonly code: ErrorCode,
    options: {
      meta?: Record<string, unknown>;
      message?: string;
      retryAfterSeconds?: number;
      cause?: unknown;
      also?: readonly AppError[];
    } = {},
  ) {
    super(options.message ?? code, { cause: options.cause });
    this.meta = options.meta;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.also = options.also ?? [];
  }
}
