/**
 * A problem the user can fix, said in a sentence: the CLI prints the message alone (no stack)
 * and exits 1. Lives here, in a light lib, so commands that never touch Temporal or the
 * database can use it without loading them.
 */
export class UserError extends Error {}

/** What the caller asked for does not exist, or lies outside what they may see (the API answers 404 either way: no existence leak). */
export class NotFoundError extends UserError {}

/** The caller may see it but not do this (the API answers 403). */
export class ForbiddenError extends UserError {}

/** One field of a request the caller got wrong: `path` as the client wrote it (the API answers 400 naming it). */
export class FieldError extends UserError {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}:${message}`);
  }
}
