import { createHash } from 'node:crypto';
import { auditHash, canonicalJson, GENESIS_HASH } from './audit-hash';

describe('canonicalJson', () => {
  it('sorts keys at every depth, keeps array order, writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1, { z: null, y: true }], c: '改办函〔2026〕1号' } })).toBe('{"a":{"c":"改办函〔2026〕1号","d":[3,1,{"y":true,"z":null}]},"b":1}');
  });

  it('sorts by UTF-16 code units, as RFC 8785 does (upper case before lower, digits first)', () => {
    expect(canonicalJson({ b: 0, B: 0, '1': 0, 中: 0, a: 0 })).toBe('{"1":0,"B":0,"a":0,"b":0,"中":0}');
  });

  it('leaves out undefined properties, writes undefined in arrays as null, and dates as their ISO text', () => {
    expect(canonicalJson({ a: undefined, b: [undefined], c: new Date('2026-03-10T01:02:03.004Z') })).toBe('{"b":[null],"c":"2026-03-10T01:02:03.004Z"}');
  });

  it('escapes strings as JSON does and writes numbers in their shortest form', () => {
    expect(canonicalJson({ s: 'a"b\\c\n', n: [1e21, 0.1, -0, 100] })).toBe('{"n":[1e+21,0.1,0,100],"s":"a\\"b\\\\c\\n"}');
  });

  it('refuses what JSON cannot say rather than writing null', () => {
    expect(() => canonicalJson({ n: NaN })).toThrow('NaN');
    expect(() => canonicalJson({ n: Infinity })).toThrow('Infinity');
    expect(() => canonicalJson({ n: 1n })).toThrow('bigint');
  });
});

describe('auditHash', () => {
  it('is the SHA-256 of the row’s canonical JSON, nulls kept', () => {
    const text = `{"action":"auth.login","actorName":null,"actorUnitId":null,"actorUserId":"u1","after":null,"at":"2026-01-01T00:00:00.000Z","before":null,"prevHash":"${GENESIS_HASH}","requestId":null,"seq":1,"targetId":"u1","targetType":"user"}`;
    const expected = createHash('sha256').update(text, 'utf8').digest('hex');
    const row = { seq: 1, at: '2026-01-01T00:00:00.000Z', actorUserId: 'u1', actorName: null, actorUnitId: null, action: 'auth.login', targetType: 'user', targetId: 'u1', before: null, after: null, requestId: null, prevHash: GENESIS_HASH };
    expect(auditHash(row)).toBe(expected);
    // Extra properties (the stored hash itself) are not hashed.
    expect(auditHash({ ...row, hash: 'x' } as typeof row)).toBe(expected);
    expect(auditHash({ ...row, seq: 2 })).not.toBe(expected);
  });
});
