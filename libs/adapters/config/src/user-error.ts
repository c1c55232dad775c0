/**
 * A problem the user can fix, said in a sentence: the CLI prints the message alone (no stack)
 * and exits 1. Lives here, in a light lib, so commands that never touch Temporal or the
 * database can use it without loading them.
 */
export class UserError extends Error {}
