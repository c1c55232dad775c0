import { describeVerification } from './audit-service';

const H = 'ab'.repeat(32);
const ZEROS = '0'.repeat(64);

describe('describeVerification', () => {
  it('an intact chain: rows checked and the head', () => {
    expect(describeVerification({ ok: true, rowsChecked: 12, headSeq: 12, headHash: H, broken: null })).toEqual([
      '审计链完好:已核验 12 条记录。',
      `链头:第 12 条,哈希 ${H}`,
    ]);
  });

  it('an empty chain: the genesis hash', () => {
    expect(describeVerification({ ok: true, rowsChecked: 0, headSeq: 0, headHash: ZEROS, broken: null })).toEqual([
      '审计链完好:已核验 0 条记录。',
      `链头:尚无记录(创始哈希 ${ZEROS})`,
    ]);
  });

  it('a broken chain: where, how (in Chinese), and the last intact row', () => {
    const lines = describeVerification({ ok: false, rowsChecked: 4, headSeq: 3, headHash: H, broken: { seq: 4, kind: 'changed', message: '第 4 条记录的内容与其存储的哈希不符' } });
    expect(lines).toEqual(['审计链断裂:第 4 条记录被改动。', '第 4 条记录的内容与其存储的哈希不符', `已核验 4 条;断点之前完好的最后一条:第 3 条,哈希 ${H}`]);
    expect(describeVerification({ ok: false, rowsChecked: 3, headSeq: 2, headHash: H, broken: { seq: 3, kind: 'missing', message: 'x' } })[0]).toBe('审计链断裂:第 3 条记录缺失。');
    expect(describeVerification({ ok: false, rowsChecked: 3, headSeq: 2, headHash: H, broken: { seq: 3, kind: 'reordered', message: 'x' } })[0]).toBe('审计链断裂:第 3 条记录顺序被调换。');
  });
});
