/** A business error that Ashby returns as HTTP 200 with `success: false`. */
export class AshbyError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AshbyError';
  }
}

/** An error from a test-only admin route, sent with a 4xx status. */
export class AdminError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AdminError';
  }
}
