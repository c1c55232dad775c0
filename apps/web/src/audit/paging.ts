/**
 * Paging the audit trail backwards by cursor (GET /api/audit/entries?before=): the cursors of
 * the pages passed, so 上一页 returns to exactly the page seen before.
 */
export interface CursorPages {
  /** The cursor of each page opened, the first page's undefined. */
  stack: Array<number | undefined>;
}

export const firstPage = (): CursorPages => ({ stack: [undefined] });

/** The cursor (`before`) of the page shown now. */
export const current = (p: CursorPages): number | undefined => p.stack[p.stack.length - 1];

/** The page after this one (its nextCursor); nothing to do without one. */
export const next = (p: CursorPages, nextCursor: number | null | undefined): CursorPages => (nextCursor == null ? p : { stack: [...p.stack, nextCursor] });

/** The page before this one; the first page stays. */
export const previous = (p: CursorPages): CursorPages => (p.stack.length > 1 ? { stack: p.stack.slice(0, -1) } : p);

/** The page number shown (1 for the first). */
export const pageNumber = (p: CursorPages): number => p.stack.length;

/** A hash as shown in a table: its first 12 hex digits and an ellipsis (the full hash in the tooltip). */
export const shortHash = (hash: string): string => (hash.length > 12 ? `${hash.slice(0, 12)}…` : hash);
