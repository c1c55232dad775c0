import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Card, Descriptions, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { api, ApiFailure, must, type Schemas } from '../api/client';
import { clearDraft, loadDraft, saveDraft } from '../drafts';
import { chineseDate, chineseDateTime } from '../format';
import { DiagnosticsPanel } from '../workbench/DiagnosticsPanel';
import { RulesEditor, type RulesEditorHandle } from '../workbench/RulesEditor';
import { useDebouncedCheck, type CheckAnswer } from '../workbench/debounced-check';

type Year = Schemas['HolidayYear'];

const TEMPLATE = `# 一年的节假日安排,按国务院办公厅每年公布的通知填写(格式同 rules/calendar/2026.holidays)
年份 ${new Date().getFullYear() + 1}
依据 "国务院办公厅关于${new Date().getFullYear() + 1}年部分节假日安排的通知"

节假日 元旦 1月1日 至 1月1日
`;

const range = (h: { from: string; to: string }) => (h.from === h.to ? chineseDate(h.from) : `${chineseDate(h.from)} 至 ${chineseDate(h.to)}`);

async function check(files: Array<{ name: string; text: string }>): Promise<CheckAnswer & { year?: Year }> {
  const [file] = files;
  if (!file.text.trim()) return { ok: false, diagnostics: [] };
  const res = await api.POST('/api/calendar/check', { body: file });
  if (res.data) return { ok: true, diagnostics: res.data.diagnostics, year: res.data.year };
  const body = (res.error as { error?: Schemas['Error']['error'] } | undefined)?.error;
  if (res.response.status === 422 && body?.diagnostics) return { ok: false, diagnostics: body.diagnostics };
  return { failure: body?.message ?? `检查未完成(${res.response.status})` };
}

function YearDetail({ year }: { year: Year }) {
  return (
    <Descriptions size="small" column={1} bordered>
      <Descriptions.Item label="放假">{year.holidays.map((h) => `${h.name} ${range(h)}`).join(';') || '—'}</Descriptions.Item>
      <Descriptions.Item label="调休上班">{year.workdays.map((w) => `${w.name} ${chineseDate(w.date)}`).join(';') || '—'}</Descriptions.Item>
    </Descriptions>
  );
}

/**
 * 节假日安排 (the reform office): the years in force, and the loader: a year's file (typed, pasted
 * or opened) checked as you type with its diagnostics at line and column, then loaded (the
 * province's reform office; running plans are told). The same code as `reform calendar`.
 */
export function CalendarPage() {
  const { message } = AntApp.useApp();
  const queries = useQueryClient();
  const years = useQuery({ queryKey: ['calendar'], queryFn: async () => must(await api.GET('/api/calendar')) });
  // What is typed is kept as a draft (drafts.ts) until it is loaded: an ended session loses none of it.
  const [draft] = useState(() => loadDraft<{ name: string; text: string }>('calendar'));
  const [name, setName] = useState(draft.name ?? `${new Date().getFullYear() + 1}.holidays`);
  const [text, setText] = useState(draft.text ?? TEMPLATE);
  useEffect(() => {
    if (text !== TEMPLATE) saveDraft('calendar', { name, text });
  }, [name, text]);
  const [year, setYear] = useState<Year | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const editor = useRef<RulesEditorHandle>(null);
  const picker = useRef<HTMLInputElement>(null);
  const files = [{ name, text }];
  const checked = useDebouncedCheck(files, async (f) => {
    const answer = await check(f);
    setYear('year' in answer && answer.year ? answer.year : null);
    return answer;
  });

  const open = async (file: File | undefined) => {
    if (!file) return;
    setName(file.name);
    setText(await file.text());
  };
  const load = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const answer = must(await api.POST('/api/calendar/load', { body: { name, text } }));
      message.success(`已${answer.replaced ? '更新' : '载入'} ${answer.year.year} 年节假日安排;${answer.plansNotified ? `已通知运行中的方案,${answer.moved.length} 个截止日期随之调整` : '运行中的方案将在工作进程连接后更新'}。`);
      clearDraft('calendar');
      await queries.invalidateQueries({ queryKey: ['calendar'] });
    } catch (e) {
      setFailure(e instanceof ApiFailure ? e.message : '载入未完成');
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card title={<Typography.Title level={3} style={{ margin: 0 }}>节假日安排</Typography.Title>} extra={<span>按工作日计算的期限按此跳过放假日、计入调休上班日</span>}>
        {years.error && <Alert type="error" showIcon title={years.error instanceof ApiFailure ? years.error.message : '读取失败'} />}
        <Table<Year>
          rowKey="year"
          size="small"
          loading={years.isLoading}
          pagination={false}
          dataSource={years.data?.years ?? []}
          aria-label="现行的节假日安排"
          expandable={{ expandedRowRender: (y) => <YearDetail year={y} /> }}
          columns={[
            { title: '年份', dataIndex: 'year', width: 90, render: (y: number) => `${y}年` },
            { title: '依据', dataIndex: 'source' },
            { title: '假期', dataIndex: 'holidays', width: 90, render: (h: unknown[]) => `${h.length} 个` },
            { title: '调休上班日', dataIndex: 'workdays', width: 110, render: (w: unknown[]) => `${w.length} 天` },
            { title: '来源', dataIndex: 'loadedAt', width: 220, render: (at: string | null) => (at ? <Tag color="blue">{chineseDateTime(at)} 载入</Tag> : <Tag>随系统提供</Tag>) },
          ]}
        />
      </Card>
      <Card title="载入一年的安排">
        <Space style={{ marginBottom: 12 }} wrap>
          <span>文件名</span>
          <Input aria-label="文件名" value={name} onChange={(e) => setName(e.target.value)} style={{ width: 220 }} />
          <Button onClick={() => picker.current?.click()}>打开文件…</Button>
          <input ref={picker} type="file" accept=".holidays,.json" hidden aria-label="选择节假日安排文件" onChange={(e) => open(e.target.files?.[0])} />
        </Space>
        <RulesEditor ref={editor} file={name} docKey="calendar" kind="holidays" label="节假日安排文件" value={text} onChange={setText} diagnostics={checked.diagnostics} checkedText={checked.texts?.[name] ?? null} />
        <div style={{ marginTop: 12 }}>
          <DiagnosticsPanel diagnostics={checked.diagnostics} fileOrder={[name]} checking={checked.checking} failure={checked.failure} onPick={(row) => editor.current?.goTo(row.line, row.column)} />
        </div>
        {year && checked.ok && (
          <section aria-label="检查通过的安排" style={{ marginTop: 12 }}>
            <Typography.Paragraph>
              {year.year}年:{year.holidays.length} 个假期,{year.workdays.length} 个调休上班日(依据:{year.source})。
            </Typography.Paragraph>
            <YearDetail year={year} />
          </section>
        )}
        {failure && <Alert type="error" showIcon title={failure} style={{ marginTop: 12 }} />}
        <Button type="primary" style={{ marginTop: 12 }} disabled={!checked.ok || !year || checked.texts?.[name] !== text} onClick={() => setConfirming(true)}>
          载入…
        </Button>
      </Card>
      <Modal open={confirming} title="确认载入" okText="确认载入" cancelText="取消" confirmLoading={busy} onOk={load} onCancel={() => setConfirming(false)}>
        {year && (
          <Typography.Paragraph>
            载入 {year.year} 年节假日安排(替换该年已有的安排),并通知所有运行中的方案按新的安排重算以工作日计的截止日期。
          </Typography.Paragraph>
        )}
      </Modal>
    </Space>
  );
}

export default CalendarPage;
