import { describe, expect, it } from '@jest/globals';
import { filenameFromDisposition } from './files';

describe('the file name of a download', () => {
  it('reads the UTF-8 name first (the API writes both, RFC 6266)', () => {
    const header = `attachment; filename="2031_____.xlsx"; filename*=UTF-8''2031%E5%B9%B4%E5%BA%A6%E8%80%83%E6%A0%B8.xlsx`;
    expect(filenameFromDisposition(header)).toBe('2031年度考核.xlsx');
  });
  it('falls back to the plain name, and to nothing without a header', () => {
    expect(filenameFromDisposition('attachment; filename="ledger.xlsx"')).toBe('ledger.xlsx');
    expect(filenameFromDisposition(`attachment; filename="a.xlsx"; filename*=UTF-8''%E0%A4%A`)).toBe('a.xlsx');
    expect(filenameFromDisposition(null)).toBeNull();
  });
});
