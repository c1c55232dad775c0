import { fileSize } from './evidence';

describe('evidence file sizes as users read them', () => {
  it('uses bytes below a kilobyte, then KB and MB with one decimal', () => {
    expect(fileSize(0)).toBe('0 字节');
    expect(fileSize(1023)).toBe('1023 字节');
    expect(fileSize(1536)).toBe('1.5 KB');
    expect(fileSize(20 * 1024 * 1024)).toBe('20.0 MB');
  });
});
