import { parseRules } from '../syntax/parse';
import { formatRules } from './format';

const TEXT = `# 头注释

程序 p "程序"  # 程序注释
  # 版本说明
  版本 2
  依据 A5  # 安徽第五条

阶段 s "开始"
  # 为何依据 A5
  依据 A5
  动作 f "办结" 由 c 转入 e 记录 done

阶段 e "结束"
  依据 A5  # 结束依据
  # 终结说明
  终结

时限 t "期限"
  依据 A9
  起算 registered  # 从登记起
  期限 10 个工作日
  完成 done
  提醒函 到期前 2 个工作日 致 c 依据 Y9

函件模板 提醒函
  # 第一段
  正文 "请{牵头单位}按期办结。"
  正文 "逾期将督办。"  # 第二段
`;

describe('comments on clause lines', () => {
  it('stay on the clause they were written on, through formatting and back', () => {
    const parsed = parseRules(TEXT);
    expect(parsed.diagnostics).toEqual([]);
    expect(formatRules(parsed.value)).toBe(TEXT);
    const [procedure, start, end, deadline, template] = parsed.value.declarations;
    expect(procedure.comments.trailing).toBe('程序注释');
    expect(procedure.clauseComments).toEqual({ version: { leading: ['版本说明'] }, source: { leading: [], trailing: '安徽第五条' } });
    expect(start.clauseComments).toEqual({ source: { leading: ['为何依据 A5'] } });
    expect(end.clauseComments).toEqual({ source: { leading: [], trailing: '结束依据' }, final: { leading: ['终结说明'] } });
    expect(deadline.clauseComments).toEqual({ from: { leading: [], trailing: '从登记起' } });
    expect(template.clauseComments).toEqual({ 'paragraph:0': { leading: ['第一段'] }, 'paragraph:1': { leading: [], trailing: '第二段' } });
  });
});
