import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Empty, Input, InputNumber, Modal, Select, Skeleton, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { api, ApiFailure, must, type ApiErrorBody, type Schemas } from '../api/client';
import { Refusal } from '../components/Refusal';
import { saveBlob } from '../files';
import { chineseDate, ITEM_STATUS } from '../format';
import { useMe } from '../office/data';
import { letterKindLabel } from '../office/problems';
import { closeState, defaultRoundName, roundHref, ROUND_STATUS_COLOR, selfInspectionItems, TASK_STATUS_COLOR, verificationItems, type ItemStatus } from '../office/rounds';
import { planHref } from '../route';

type Round = Schemas['Round'];
type Task = Schemas['RoundTask'];
type TaskDetail = Schemas['RoundTaskDetail'];
const failureBody = (e: unknown): ApiErrorBody => (e instanceof ApiFailure ? e.body : { status: 0, code: 'network', message: '无法连接服务器,请稍后再试', requestId: '' });

/** 督察轮次 (S3): the rounds of the office's level, opening the mid-year round for a year. */
export function RoundsPage() {
  const me = useMe();
  const queries = useQueryClient();
  const { message } = App.useApp();
  const [year, setYear] = useState(dayjs().year());
  const [name, setName] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<ApiErrorBody | null>(null);
  // GET /api/rounds's limit/offset are hidden from the typed client (see office/data.ts).
  const list = useQuery({ queryKey: ['rounds'], queryFn: async () => must(await api.GET('/api/rounds', { params: { query: { limit: 100 } } })) });
  const open = useMutation({
    mutationFn: async () => {
      const { data, error, response } = await api.POST('/api/rounds', { body: { name: name ?? defaultRoundName(year), year } });
      if (!data) throw new ApiFailure(error?.error ?? { status: response.status, code: 'unknown', message: '开启未成功', requestId: '' });
      return data;
    },
    onSuccess: async (r) => {
      setRefusal(null);
      message.success(`已开启:${r.name}(${r.tasks.length} 项自查任务)`);
      queries.setQueryData(['round', r.id], r);
      await queries.invalidateQueries({ queryKey: ['rounds'] });
      window.location.hash = roundHref(r.id);
    },
    onError: (e) => setRefusal(failureBody(e)),
  });
  const office = me.data?.unit.kind === 'reform_office';
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        督察轮次
      </Typography.Title>
      {office && (
        <Card title="开启年中集中督察(S3)" size="small">
          <Space wrap>
            <span>督察年度</span>
            <InputNumber aria-label="督察年度" min={2000} max={2100} value={year} onChange={(v) => typeof v === 'number' && setYear(v)} />
            <Input aria-label="轮次名称" style={{ width: 280 }} value={name ?? defaultRoundName(year)} onChange={(e) => setName(e.target.value)} />
            <Button type="primary" loading={open.isPending} onClick={() => open.mutate()}>
              开启督察
            </Button>
          </Space>
          <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
            纳入本级印发满半年的全部方案,每项方案生成牵头单位的自查任务(自查期限由规则算出)。
          </Typography.Paragraph>
          {refusal && <div style={{ marginTop: 12 }}><Refusal body={refusal} title="开启未成功" /></div>}
        </Card>
      )}
      {list.error && <Alert type="error" showIcon title={list.error instanceof ApiFailure ? list.error.message : '督察轮次读取失败'} />}
      <Table<Round>
        rowKey="id"
        size="small"
        aria-label="督察轮次"
        loading={list.isLoading}
        dataSource={list.data?.rows ?? []}
        pagination={false}
        locale={{ emptyText: <Empty description="尚无督察轮次" /> }}
        columns={[
          { title: '名称', dataIndex: 'name', render: (n: string, r) => <a href={roundHref(r.id)}>{n}</a> },
          { title: '年度', dataIndex: 'year' },
          { title: '开启日期', dataIndex: 'openedOn', render: chineseDate },
          { title: '纳入截止(印发日期)', dataIndex: 'cutoff', render: chineseDate },
          { title: '状态', dataIndex: 'status', render: (s: Round['status'], r) => <Tag color={ROUND_STATUS_COLOR[s]}>{r.statusLabel}</Tag> },
          { title: '自查任务', render: (_, r) => `${r.counts.tasks} 项(待自查 ${r.counts.inspecting},待核查 ${r.counts.verification},已认定 ${r.counts.verified})` },
        ]}
      />
    </Space>
  );
}

/** A round: its plans and their self-inspection tasks; verify or send back a task; close; the 督察评估事项表 (.xlsx, .docx). */
export function RoundPage({ roundId }: { roundId: string }) {
  const me = useMe();
  const queries = useQueryClient();
  const { message } = App.useApp();
  const [task, setTask] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<ApiErrorBody | null>(null);
  const round = useQuery({ queryKey: ['round', roundId], queryFn: async () => must(await api.GET('/api/rounds/{id}', { params: { path: { id: roundId } } })) });
  const close = useMutation({
    mutationFn: async () => must(await api.POST('/api/rounds/{id}/close', { params: { path: { id: roundId } }, body: {} })),
    onSuccess: async () => {
      setRefusal(null);
      message.success('本轮督察已结束');
      await queries.invalidateQueries({ queryKey: ['round', roundId] });
      await queries.invalidateQueries({ queryKey: ['rounds'] });
    },
    onError: (e) => setRefusal(failureBody(e)),
  });
  const download = useMutation({
    mutationFn: async (format: 'xlsx' | 'docx') => {
      const r =
        format === 'xlsx'
          ? await api.GET('/api/rounds/{id}/table.xlsx', { params: { path: { id: roundId } }, parseAs: 'blob' })
          : await api.GET('/api/rounds/{id}/table.docx', { params: { path: { id: roundId } }, parseAs: 'blob' });
      saveBlob(must(r) as Blob, r.response, `督察评估事项表.${format}`);
    },
    onError: (e) => message.error(e instanceof ApiFailure ? e.message : '下载未成功'),
  });
  if (round.isLoading) return <Skeleton active />;
  if (round.error || !round.data) return <Alert type="error" showIcon title={round.error instanceof ApiFailure ? round.error.message : '督察轮次读取失败'} action={<a href="#/rounds">返回督察轮次</a>} />;
  const r = round.data;
  const office = me.data?.unit.kind === 'reform_office';
  const closing = closeState(r);
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {r.name} <Tag color={ROUND_STATUS_COLOR[r.status]}>{r.statusLabel}</Tag>
        </Typography.Title>
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 4 }}>
          <Descriptions.Item label="年度">{r.year}</Descriptions.Item>
          <Descriptions.Item label="开启日期">{chineseDate(r.openedOn)}</Descriptions.Item>
          <Descriptions.Item label="纳入此日以前印发的方案">{chineseDate(r.cutoff)}</Descriptions.Item>
          <Descriptions.Item label="结束日期">{chineseDate(r.closedOn)}</Descriptions.Item>
        </Descriptions>
        <Space wrap>
          <Button onClick={() => download.mutate('xlsx')} loading={download.isPending && download.variables === 'xlsx'}>
            下载督察评估事项表(Excel)
          </Button>
          <Button onClick={() => download.mutate('docx')} loading={download.isPending && download.variables === 'docx'}>
            下载督察评估事项表(Word)
          </Button>
          {office && (
            <Button danger disabled={r.status === 'closed'} loading={close.isPending} title={closing.why ?? undefined} onClick={() => close.mutate()}>
              结束本轮督察
            </Button>
          )}
          {office && closing.why && r.status !== 'closed' && <Typography.Text type="secondary">{closing.why}</Typography.Text>}
        </Space>
        {refusal && <div style={{ marginTop: 12 }}><Refusal body={refusal} title="未能结束本轮督察" /></div>}
      </Card>
      <Table<Task>
        rowKey="planId"
        size="small"
        aria-label="自查任务"
        dataSource={r.tasks}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description="本单位在本轮没有自查任务" /> }}
        columns={[
          { title: '方案', dataIndex: 'planTitle', render: (t: string, x) => <a href={planHref(x.planId)}>{t}</a> },
          { title: '牵头单位', dataIndex: ['leadUnit', 'name'] },
          { title: '印发日期', dataIndex: 'issuedOn', render: chineseDate },
          { title: '自查期限', dataIndex: 'limitDate', render: chineseDate },
          { title: '状态', dataIndex: 'status', render: (s: Task['status'], x) => <Tag color={TASK_STATUS_COLOR[s]}>{x.statusLabel}</Tag> },
          { title: '报送日期', dataIndex: 'reportedOn', render: chineseDate },
          { title: '认定日期', dataIndex: 'verifiedOn', render: chineseDate },
          { title: '', render: (_, x) => <Button size="small" onClick={() => setTask(x.planId)} aria-label={`查看自查任务:${x.planTitle}`}>{office ? '查看与核查' : '查看与自查'}</Button> },
        ]}
      />
      <Modal open={!!task} title="自查任务" footer={null} width={960} onCancel={() => setTask(null)} destroyOnHidden>
        {task && <TaskView roundId={roundId} planId={task} office={office} onDone={() => setTask(null)} />}
      </Modal>
    </Space>
  );
}

function TaskView({ roundId, planId, office, onDone }: { roundId: string; planId: string; office: boolean; onDone: () => void }) {
  const queries = useQueryClient();
  const { message } = App.useApp();
  const [found, setFound] = useState<Record<string, ItemStatus | undefined>>({});
  const [notes, setNotes] = useState<Record<string, string | undefined>>({});
  const [reason, setReason] = useState('');
  const [refusal, setRefusal] = useState<ApiErrorBody | null>(null);
  const detail = useQuery({
    queryKey: ['round-task', roundId, planId],
    queryFn: async () => must(await api.GET('/api/rounds/{id}/plans/{planId}', { params: { path: { id: roundId, planId } } })),
  });
  const after = async (t: TaskDetail, text: string) => {
    setRefusal(null);
    message.success(text);
    queries.setQueryData(['round-task', roundId, planId], t);
    await queries.invalidateQueries({ queryKey: ['round', roundId] });
    await queries.invalidateQueries({ queryKey: ['rounds'] });
    onDone();
  };
  const verify = useMutation({
    mutationFn: async (t: TaskDetail) => must(await api.POST('/api/rounds/{id}/plans/{planId}/verification', { params: { path: { id: roundId, planId } }, body: { items: verificationItems(t.items, found, notes) } })),
    onSuccess: (t) => after(t, '已核查认定'),
    onError: (e) => setRefusal(failureBody(e)),
  });
  const report = useMutation({
    mutationFn: async (t: TaskDetail) =>
      must(await api.POST('/api/rounds/{id}/plans/{planId}/self-inspection', { params: { path: { id: roundId, planId } }, body: { items: selfInspectionItems(t.items, found, notes) } })),
    onSuccess: (t) => after(t, '已报送自查'),
    onError: (e) => setRefusal(failureBody(e)),
  });
  const sendBack = useMutation({
    mutationFn: async () => must(await api.POST('/api/rounds/{id}/plans/{planId}/send-back', { params: { path: { id: roundId, planId } }, body: { reason } })),
    onSuccess: (t) => after(t, '已退回牵头单位重新自查'),
    onError: (e) => setRefusal(failureBody(e)),
  });
  if (detail.isLoading) return <Skeleton active />;
  if (detail.error || !detail.data) return <Alert type="error" showIcon title={detail.error instanceof ApiFailure ? detail.error.message : '自查任务读取失败'} />;
  const t = detail.data;
  const mayVerify = office && t.engine?.actions.some((a) => a.action === 'verify');
  const maySendBack = office && t.engine?.actions.some((a) => a.action === 'send_back');
  // The lead unit answers item by item (S2's three statuses).
  const mayReport = !office && t.engine?.actions.some((a) => a.action === 'report_self_inspection');
  const options = Object.entries(ITEM_STATUS).map(([value, label]) => ({ value: value as ItemStatus, label }));
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Descriptions size="small" column={2}>
        <Descriptions.Item label="方案">{t.planTitle}</Descriptions.Item>
        <Descriptions.Item label="牵头单位">{t.leadUnit.name}</Descriptions.Item>
        <Descriptions.Item label="当前阶段">{t.engine?.stage.label ?? t.statusLabel}</Descriptions.Item>
        <Descriptions.Item label="自查期限">{chineseDate(t.limitDate)}</Descriptions.Item>
      </Descriptions>
      <Table
        rowKey="itemId"
        size="small"
        aria-label="督察评估事项"
        pagination={false}
        dataSource={t.items}
        locale={{ emptyText: <Empty description="没有在督察范围内的事项" /> }}
        columns={[
          { title: '事项', render: (_, i) => `${i.itemId}. ${i.title}` },
          { title: '开启时状态', dataIndex: 'statusAtOpening', render: (s: string) => ITEM_STATUS[s] ?? '—' },
          {
            title: '自查',
            render: (_, i) =>
              mayReport ? (
                <Space>
                  <Select<ItemStatus>
                    aria-label={`自查:${i.title}`}
                    style={{ width: 150 }}
                    value={found[i.itemId] ?? i.selfInspection?.status ?? i.statusAtOpening}
                    onChange={(v) => setFound((f) => ({ ...f, [i.itemId]: v }))}
                    options={options}
                  />
                  <Input aria-label={`自查说明:${i.title}`} placeholder="自查说明" value={notes[i.itemId]} onChange={(e) => setNotes((n) => ({ ...n, [i.itemId]: e.target.value }))} />
                </Space>
              ) : i.selfInspection ? (
                `${i.selfInspection.statusLabel}${i.selfInspection.note ? `(${i.selfInspection.note})` : ''}`
              ) : (
                '尚未自查'
              ),
          },
          {
            title: '核查认定',
            render: (_, i) =>
              mayVerify ? (
                <Space>
                  <Select<ItemStatus>
                    aria-label={`认定:${i.title}`}
                    style={{ width: 150 }}
                    value={found[i.itemId] ?? i.selfInspection?.status}
                    onChange={(v) => setFound((f) => ({ ...f, [i.itemId]: v }))}
                    options={options}
                  />
                  <Input aria-label={`核查说明:${i.title}`} placeholder="核查说明" value={notes[i.itemId]} onChange={(e) => setNotes((n) => ({ ...n, [i.itemId]: e.target.value }))} />
                </Space>
              ) : i.finding ? (
                `${i.finding.statusLabel}${i.finding.note ? `(${i.finding.note})` : ''}`
              ) : (
                '—'
              ),
          },
          { title: '督察范围', render: (_, i) => (i.leavesSupervision ? <Tag color="green">不再纳入督察(S2)</Tag> : '在督察范围内') },
        ]}
      />
      {t.letters.length > 0 && (
        <Table
          rowKey="letterId"
          size="small"
          aria-label="自查任务的函件"
          pagination={false}
          dataSource={t.letters}
          columns={[
            { title: '文种', dataIndex: 'kind', render: letterKindLabel },
            { title: '文号', dataIndex: 'number' },
            { title: '发文日期', dataIndex: 'issuedOn', render: chineseDate },
            { title: '依据', dataIndex: 'ruleId' },
          ]}
        />
      )}
      {refusal && <Refusal body={refusal} title="办理未成功" />}
      {mayReport && (
        <Button type="primary" loading={report.isPending} onClick={() => report.mutate(t)}>
          报送自查
        </Button>
      )}
      {office && (
        <Space wrap>
          <Button type="primary" disabled={!mayVerify} loading={verify.isPending} onClick={() => verify.mutate(t)}>
            核查认定
          </Button>
          <Input aria-label="退回理由" style={{ width: 280 }} placeholder="退回理由" value={reason} onChange={(e) => setReason(e.target.value)} disabled={!maySendBack} />
          <Button disabled={!maySendBack} loading={sendBack.isPending} onClick={() => sendBack.mutate()}>
            退回重新自查
          </Button>
          {!mayVerify && !maySendBack && <Typography.Text type="secondary">{t.status === 'inspecting' ? '等待牵头单位报送自查' : '本任务已核查认定'}</Typography.Text>}
        </Space>
      )}
    </Space>
  );
}
