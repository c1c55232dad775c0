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

/** What the caller sent is larger than allowed (the API answers 413); nothing was kept. */
export class TooLargeError extends UserError {}

/** What the caller sent is of a kind not accepted here (the API answers 415); nothing was kept. */
export class UnsupportedTypeError extends UserError {}

/** The request conflicts with what is there already (the API answers 409). */
export class ConflictError extends UserError {}

/** Something the server needs is missing (a font, a service): the API answers 503 with this message, for the operator to fix. */
export class UnavailableError extends UserError {}
