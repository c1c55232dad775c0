import { z } from 'zod';
import type { Caller } from './plan-desk';
import { derivedUuid, requestKeyedId } from './requests';

const caller = (userId: string, requestId?: string): Caller => ({ principal: { userId, username: userId, unitId: 'u', roles: ['staff'] }, ...(requestId ? { requestId } : {}) });

describe('ids derived from a request (requests.ts)', () => {
  it('gives a repeated request the same id, and any other request another one', () => {
    const first = requestKeyedId('problem', caller('user-1', 'req-1'));
    expect(requestKeyedId('problem', caller('user-1', 'req-1'))).toBe(first);
    expect(new Set([first, requestKeyedId('problem', caller('user-2', 'req-1')), requestKeyedId('problem', caller('user-1', 'req-2')), requestKeyedId('round', caller('user-1', 'req-1'))]).size).toBe(4);
  });

  it('is a UUID (RFC 9562 version 8), as the routes check ids', () => {
    const id = derivedUuid('a', 'b');
    expect(z.uuid().safeParse(id).success).toBe(true);
    expect(id[14]).toBe('8');
    expect(['8', '9', 'a', 'b']).toContain(id[19]);
  });

  it('gives a request without an id a fresh id each time', () => {
    expect(requestKeyedId('problem', caller('user-1'))).not.toBe(requestKeyedId('problem', caller('user-1')));
  });

  it('keeps the parts apart: ("ab", "c") is not ("a", "bc")', () => {
    expect(derivedUuid('ab', 'c')).not.toBe(derivedUuid('a', 'bc'));
  });
});
