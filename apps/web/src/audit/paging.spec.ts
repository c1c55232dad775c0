import { describe, expect, it } from '@jest/globals';
import { current, firstPage, next, pageNumber, previous, shortHash } from './paging';

describe('paging the audit trail by cursor', () => {
  it('walks forward by each page’s nextCursor and back to exactly the pages seen', () => {
    let p = firstPage();
    expect([current(p), pageNumber(p)]).toEqual([undefined, 1]);
    p = next(p, 120);
    p = next(p, 70);
    expect([current(p), pageNumber(p)]).toEqual([70, 3]);
    p = previous(p);
    expect(current(p)).toBe(120);
    p = previous(previous(p));
    expect([current(p), pageNumber(p)]).toEqual([undefined, 1]);
  });
  it('stays on the last page when there is no next one', () => {
    const p = next(firstPage(), 50);
    expect(next(p, null)).toBe(p);
  });
  it('shortens a hash to 12 hex digits', () => {
    expect(shortHash('a'.repeat(64))).toBe(`${'a'.repeat(12)}…`);
    expect(shortHash('abc')).toBe('abc');
  });
});
