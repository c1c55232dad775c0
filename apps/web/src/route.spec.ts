import { describe, expect, it } from '@jest/globals';
import { parseRoute } from './route';

describe('the console’s routes', () => {
  it('reads the office’s pages from the hash', () => {
    expect(parseRoute('#/problems')).toEqual({ page: 'problems', query: '' });
    expect(parseRoute('#/problems?status=kept&unit=u1')).toEqual({ page: 'problems', query: 'status=kept&unit=u1' });
    expect(parseRoute('#/problems/a%2Fb')).toEqual({ page: 'problem', problemId: 'a/b' });
    expect(parseRoute('#/rounds')).toEqual({ page: 'rounds' });
    expect(parseRoute('#/rounds/r1')).toEqual({ page: 'round', roundId: 'r1' });
    expect(parseRoute('#/inbox')).toEqual({ page: 'inbox' });
  });

  it('keeps the other pages as they were', () => {
    expect(parseRoute('#/plans/p1')).toEqual({ page: 'plan', planId: 'p1' });
    expect(parseRoute('#/board')).toEqual({ page: 'board' });
    expect(parseRoute('#/inboxes')).toEqual({ page: 'todo' });
    expect(parseRoute('')).toEqual({ page: 'todo' });
  });
});
