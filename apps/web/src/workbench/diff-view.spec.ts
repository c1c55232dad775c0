import { diffLines } from '@reform/plans';
import { diffView } from './diff-view';

/** The lines come from the service's own diffLines, as the API sends them. */
describe('the diff against what is published', () => {
  const change = { kind: 'changed', subject: '时限「试点半年阶段性评估」', aspect: '期限', before: '6个月', after: '4个月' };
  const base = { id: 'pilot', title: '改革试点', from: 1, to: undefined, changes: [] as unknown[] };

  it('heads it in Chinese and keeps the change lines, without the procedure id', () => {
    const p = { ...base, changes: [change] };
    const lines = diffLines(p as Parameters<typeof diffLines>[0]);
    const view = diffView({ ...p, lines });
    expect(view.heading).toBe('「改革试点」与第1版相比有 1 处变化:');
    expect(view.changes).toEqual(['~ 时限「试点半年阶段性评估」期限:6个月 → 4个月']);
    expect(JSON.stringify(view)).not.toContain('pilot');
  });

  it('says when nothing changed, and when a procedure is new', () => {
    expect(diffView({ ...base, lines: diffLines(base as Parameters<typeof diffLines>[0]) })).toEqual({ heading: '「改革试点」与第1版相比含义没有变化', changes: [] });
    expect(diffView({ ...base, from: undefined, only: 'added', lines: [] }).heading).toBe('「改革试点」是新增的程序,尚未发布过');
  });
});
