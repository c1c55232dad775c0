import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Empty, Form, Input, Modal, Radio, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import dayjs, { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, ApiFailure, must, type ApiErrorBody, type Schemas } from '../api/client';
import { Refusal } from '../components/Refusal';
import { clearDraft, loadDraft, saveDraft } from '../drafts';
import { chineseDate } from '../format';
import { allProblems, downloadLetter, useMe, usePlans, useUnitNames, useUnits } from '../office/data';
import { AGAINST_LABEL, filterProblems, handoverCheck, libraryLabel, parseProblemFilters, problemHref, problemsHref, PROBLEM_STATUS, PROBLEM_STATUSES, type ProblemFilters } from '../office/problems';
import { planHref } from '../route';

type Problem = Schemas['Problem'];

/**
 * 问题库 (Y9, Y11, A13): a reform office's library (what it holds and what it sent up), a unit's
 * problems to rectify; filters by status, rectifying unit and plan kept in the URL; registering
 * (挂号) a problem against a plan, an item or a unit (the reform office).
 */
export function ProblemsPage({ query }: { query: string }) {
  const filters = parseProblemFilters(query);
  const me = useMe();
  const names = useUnitNames();
  const plans = usePlans();
  const [registering, setRegistering] = useState(false);
  // 合并交办: the selected problems (registered, of the office's own library) and the confirmation dialog.
  const [selected, setSelected] = useState<string[]>([]);
  const [handing, setHanding] = useState<Problem[] | null>(null);
  const [selectionError, setSelectionError] = useState<string | null>(null);
  const list = useQuery({ queryKey: ['problems', filters.status ?? ''], queryFn: () => allProblems(filters.status) });
  const planTitle = new Map((plans.data ?? []).map((p) => [p.planId, p.title]));
  const rows = filterProblems(list.data?.rows ?? [], filters);
  const set = (f: ProblemFilters) => {
    window.location.hash = problemsHref(f);
  };
  const office = me.data?.unit.kind === 'reform_office';
  const unitIds = [...new Set([...(list.data?.rows ?? []).map((p) => p.against.unitId), ...(filters.unit ? [filters.unit] : [])])];
  const planIds = [...new Set([...(list.data?.rows ?? []).flatMap((p) => (p.against.planId ? [p.against.planId] : [])), ...(filters.plan ? [filters.plan] : [])])];
  const counts = list.data?.counts;
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          问题库
        </Typography.Title>
        {office && (
          <Space>
            <Button
              disabled={selected.length === 0}
              onClick={() => {
                const chosen = (list.data?.rows ?? []).filter((p) => selected.includes(p.id));
                const check = handoverCheck(chosen, names);
                setSelectionError(check.ok ? null : check.message);
                if (check.ok) setHanding(chosen);
              }}
            >
              {selected.length ? `合并交办(已选 ${selected.length} 个)` : '合并交办'}
            </Button>
            <Button type="primary" onClick={() => setRegistering(true)}>
              登记问题
            </Button>
          </Space>
        )}
      </Space>
      {counts && (
        <Card size="small">
          <Space size="large" wrap>
            <Statistic title="未销号(已挂号、整改中、待验收)" value={counts.open} suffix="个" />
            <Statistic title="留号" value={counts.kept} suffix="个" />
            <Statistic title="已销号" value={counts.cancelled} suffix="个" />
            <Statistic title="已上交上一级" value={counts.escalated} suffix="个" />
          </Space>
        </Card>
      )}
      <Card size="small">
        <Space wrap>
          <Select<string>
            aria-label="状态"
            allowClear
            placeholder="全部状态"
            style={{ width: 160 }}
            value={filters.status}
            onChange={(v) => set({ ...filters, status: (v || undefined) as ProblemFilters['status'] })}
            options={PROBLEM_STATUSES.map((s) => ({ value: s, label: PROBLEM_STATUS[s].label }))}
          />
          <Select<string>
            aria-label="整改单位"
            allowClear
            placeholder="全部整改单位"
            style={{ width: 260 }}
            value={filters.unit}
            onChange={(v) => set({ ...filters, unit: v || undefined })}
            options={unitIds.map((u) => ({ value: u, label: names.get(u) ?? '其他单位' }))}
          />
          <Select<string>
            aria-label="方案"
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder="全部方案"
            style={{ width: 340 }}
            value={filters.plan}
            onChange={(v) => set({ ...filters, plan: v || undefined })}
            options={planIds.map((p) => ({ value: p, label: planTitle.get(p) ?? '方案' }))}
          />
        </Space>
      </Card>
      {list.error && <Alert type="error" showIcon title={list.error instanceof ApiFailure ? list.error.message : '问题库读取失败'} />}
      {office && <Typography.Text type="secondary">勾选同一整改单位的几个已挂号问题,可合并交办:只发一份整改意见书,列出全部问题和同一整改期限(A13)。</Typography.Text>}
      {selectionError && <Alert type="error" showIcon role="alert" title="不能合并交办" description={selectionError} closable={{ onClose: () => setSelectionError(null) }} />}
      <Table<Problem>
        rowKey="id"
        size="small"
        aria-label="问题列表"
        loading={list.isLoading}
        dataSource={rows}
        rowSelection={
          office && me.data
            ? {
                selectedRowKeys: selected,
                onChange: (keys) => {
                  setSelected(keys.map(String));
                  setSelectionError(null);
                },
                // Only registered problems of the office's own library can be handed over.
                getCheckboxProps: (p) => ({ disabled: p.status !== 'registered' || p.library.regionPath !== me.data!.unit.region.path, 'aria-label': `选择 ${p.number}` }),
              }
            : undefined
        }
        pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (t) => `共 ${t} 个问题` }}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description="没有符合条件的问题" /> }}
        columns={[
          { title: '挂号号', dataIndex: 'number', render: (n: string, p) => <a href={problemHref(p.id)}>{n}</a> },
          { title: '问题', dataIndex: 'description', ellipsis: true, width: 320 },
          {
            title: '针对',
            render: (_, p) => (
              <span>
                {AGAINST_LABEL[p.against.type]}
                {p.against.planId && (
                  <>
                    :<a href={planHref(p.against.planId)}>{planTitle.get(p.against.planId) ?? '查看方案'}</a>
                  </>
                )}
                {p.against.itemId && ` 第${p.against.itemId}项`}
              </span>
            ),
          },
          { title: '整改单位', render: (_, p) => names.get(p.against.unitId) ?? '其他单位' },
          { title: '状态', dataIndex: 'status', render: (s: Problem['status'], p) => <Tag color={PROBLEM_STATUS[s].color}>{p.statusLabel}</Tag> },
          { title: '发现日期', dataIndex: 'foundOn', render: chineseDate },
          { title: '整改期限', dataIndex: 'limitDate', render: chineseDate },
          { title: '所在问题库', render: (_, p) => (me.data ? libraryLabel(p.library.regionPath, me.data.unit.region.path) : '') },
        ]}
      />
      <Modal open={handing !== null} title="合并交办:一份整改意见书" footer={null} onCancel={() => setHanding(null)} destroyOnHidden width={720}>
        {handing && (
          <HandoverForm
            problems={handing}
            unitName={names.get(handing[0].against.unitId) ?? '其他单位'}
            onDone={() => setSelected([])}
            onClose={() => setHanding(null)}
          />
        )}
      </Modal>
      <Modal open={registering} title="登记问题(挂号)" footer={null} onCancel={() => setRegistering(false)} destroyOnHidden width={640}>
        <RegisterForm plans={plans.data ?? []} onDone={(id) => {
          setRegistering(false);
          window.location.hash = problemHref(id);
        }} />
      </Modal>
    </Space>
  );
}

interface RegisterValues {
  type: 'plan' | 'item' | 'unit';
  planId?: string;
  itemId?: string;
  unitId?: string;
  description?: string;
  foundOn?: string;
  responsiblePerson?: string;
}

const DRAFT = 'problem.register';

function RegisterForm({ plans, onDone }: { plans: Schemas['LedgerPage']['rows']; onDone: (id: string) => void }) {
  const [form] = Form.useForm<RegisterValues>();
  const me = useMe();
  const units = useUnits();
  const queries = useQueryClient();
  const { message } = App.useApp();
  const [refusal, setRefusal] = useState<ApiErrorBody | null>(null);
  const type = Form.useWatch('type', form) ?? 'plan';
  const planId = Form.useWatch('planId', form);
  const items = useQuery({
    queryKey: ['items', planId],
    enabled: type === 'item' && !!planId,
    queryFn: async () => must(await api.GET('/api/plans/{id}/items', { params: { path: { id: planId! } } })),
  });
  const register = useMutation({
    mutationFn: async (v: RegisterValues) => {
      const against =
        v.type === 'unit' ? { type: 'unit' as const, unitId: v.unitId ?? '' } : v.type === 'item' ? { type: 'item' as const, planId: v.planId ?? '', itemId: v.itemId ?? '' } : { type: 'plan' as const, planId: v.planId ?? '' };
      const { data, error, response } = await api.POST('/api/problems', {
        body: { against, description: v.description ?? '', ...(v.foundOn ? { foundOn: v.foundOn } : {}), ...(v.responsiblePerson ? { responsiblePerson: v.responsiblePerson } : {}) },
      });
      if (!data) throw new ApiFailure(error?.error ?? { status: response.status, code: 'unknown', message: '登记未成功', requestId: '' });
      return data;
    },
    onSuccess: async (p) => {
      clearDraft(DRAFT);
      message.success(`已挂号:${p.number}`);
      await queries.invalidateQueries({ queryKey: ['problems'] });
      onDone(p.id);
    },
    onError: (e) => setRefusal(e instanceof ApiFailure ? e.body : { status: 0, code: 'network', message: '无法连接服务器,请稍后再试', requestId: '' }),
  });
  // The units of the office's region and below (the API takes a problem against those), by region.
  const unitOptions = unitGroups(units.data ?? [], me.data?.unit.region.path ?? null);
  return (
    <Form<RegisterValues>
      form={form}
      layout="vertical"
      aria-label="登记问题"
      initialValues={{ type: 'plan', ...loadDraft<RegisterValues>(DRAFT) }}
      onValuesChange={(_, all) => saveDraft(DRAFT, all)}
      onFinish={(v) => {
        setRefusal(null);
        register.mutate(v);
      }}
    >
      <Form.Item label="针对" name="type">
        <Radio.Group options={[{ value: 'plan', label: '方案' }, { value: 'item', label: '具体改革事项' }, { value: 'unit', label: '单位' }]} optionType="button" />
      </Form.Item>
      {type !== 'unit' && (
        <Form.Item label="方案" name="planId" rules={[{ required: true, message: '请选择方案' }]}>
          <Select showSearch={{ optionFilterProp: 'label' }} placeholder="选择方案" options={plans.map((p) => ({ value: p.planId, label: p.title }))} />
        </Form.Item>
      )}
      {type === 'item' && (
        <Form.Item label="具体改革事项" name="itemId" rules={[{ required: true, message: '请选择具体改革事项' }]}>
          <Select loading={items.isLoading} placeholder="选择事项" options={(items.data?.items ?? []).map((i) => ({ value: i.id, label: `${i.id}. ${i.title}(${i.statusLabel})` }))} />
        </Form.Item>
      )}
      {type === 'unit' && (
        <Form.Item label="单位" name="unitId" rules={[{ required: true, message: '请选择负责整改的单位' }]}>
          <Select showSearch={{ optionFilterProp: 'label' }} placeholder="选择单位" options={unitOptions} />
        </Form.Item>
      )}
      <Form.Item label="问题表述" name="description" rules={[{ required: true, whitespace: true, message: '请写明问题' }]} extra="写进整改意见书">
        <Input.TextArea rows={3} maxLength={2000} showCount />
      </Form.Item>
      <Form.Item
        label="发现日期"
        name="foundOn"
        extra="不填为今天"
        getValueProps={(v?: string) => ({ value: v ? dayjs(v) : undefined })}
        normalize={(d?: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : undefined)}
      >
        <DatePicker format="YYYY年M月D日" placeholder="今天" />
      </Form.Item>
      <Form.Item label="责任人" name="responsiblePerson">
        <Input maxLength={100} />
      </Form.Item>
      {refusal && <Refusal body={refusal} title="登记未成功" />}
      <Button type="primary" htmlType="submit" loading={register.isPending}>
        挂号
      </Button>
    </Form>
  );
}

/** The units of a region and below as the picker's groups: one per region (省、市、县), each unit by name and kind. */
function unitGroups(units: Schemas['Unit'][], regionPath: string | null) {
  const groups = new Map<string, { label: string; options: Array<{ value: string; label: string }> }>();
  for (const u of units) {
    if (regionPath === null || !u.region.path.startsWith(regionPath)) continue;
    const g = groups.get(u.region.path) ?? { label: u.region.name, options: [] };
    g.options.push({ value: u.id, label: `${u.name}(${u.kindLabel})` });
    groups.set(u.region.path, g);
  }
  return [...groups.values()];
}

/**
 * 合并交办: the problems going in one 整改意见书 (A13), a business date, and the confirmation
 * (POST /api/problems/hand-over, retried under one X-Request-Id so a repeat hands nothing over
 * twice); then the letter, or its problem's page while the engine writes it.
 */
function HandoverForm({ problems, unitName, onDone, onClose }: { problems: Problem[]; unitName: string; onDone: () => void; onClose: () => void }) {
  const queries = useQueryClient();
  const { message } = App.useApp();
  const [businessDate, setBusinessDate] = useState<string | undefined>(undefined);
  const [refusal, setRefusal] = useState<ApiErrorBody | null>(null);
  // One request id per dialog: pressing again after a lost answer repeats the same handover.
  const [requestId] = useState(() => `handover-${Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('')}`);
  const hand = useMutation({
    mutationFn: async () => {
      const { data, error, response } = await api.POST('/api/problems/hand-over', {
        body: { problemIds: problems.map((p) => p.id), ...(businessDate ? { businessDate } : {}) },
        headers: { 'X-Request-Id': requestId },
      });
      if (!data) throw new ApiFailure(error?.error ?? { status: response.status, code: 'unknown', message: '交办未成功', requestId: '' });
      return data;
    },
    onSuccess: async (h) => {
      message.success(`已合并交办 ${h.problems.length} 个问题`);
      onDone();
      await queries.invalidateQueries({ queryKey: ['problems'] });
      await queries.invalidateQueries({ queryKey: ['problem'] });
    },
    onError: (e) => setRefusal(e instanceof ApiFailure ? e.body : { status: 0, code: 'network', message: '无法连接服务器,请稍后再试', requestId: '' }),
  });
  const done = hand.data;
  if (done) {
    const carrier = done.problems[0];
    const letter = done.letter ?? carrier?.letters.find((l) => l.kind === 'rectification') ?? null;
    return (
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Alert
          type="success"
          showIcon
          title={letter ? `已发出整改意见书 ${letter.number}` : '已交办;整改意见书正在生成'}
          description={`${done.problems.length} 个问题已移交${unitName}整改,整改期限 ${chineseDate(carrier?.limitDate ?? null)}。`}
        />
        <Space wrap>
          {carrier && <a href={problemHref(carrier.id)}>{letter ? `查看整改意见书(${carrier.number})` : `在问题页查看整改意见书(${carrier.number})`}</a>}
          {letter && (
            <>
              <Button size="small" onClick={() => void downloadLetter(letter.letterId, letter.number, 'docx')}>
                下载 Word
              </Button>
              <Button size="small" onClick={() => void downloadLetter(letter.letterId, letter.number, 'pdf')}>
                下载 PDF
              </Button>
            </>
          )}
          <Button onClick={onClose}>关闭</Button>
        </Space>
      </Space>
    );
  }
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Paragraph style={{ margin: 0 }}>
        以下 {problems.length} 个问题将一并移交<strong>{unitName}</strong>整改,只发一份整改意见书,逐条列出问题和同一整改期限(由规则算出,A13);逾期后的点名通报、约谈仍按问题逐个发出。
      </Typography.Paragraph>
      <Table<Problem>
        rowKey="id"
        size="small"
        aria-label="合并交办的问题"
        pagination={false}
        dataSource={problems}
        columns={[
          { title: '序号', render: (_, __, i) => i + 1, width: 60 },
          { title: '挂号号', dataIndex: 'number' },
          { title: '问题', dataIndex: 'description' },
        ]}
      />
      <Space>
        <span>移交日期</span>
        <DatePicker
          aria-label="移交日期"
          format="YYYY年M月D日"
          placeholder="今天"
          value={businessDate ? dayjs(businessDate) : null}
          onChange={(d: Dayjs | null) => setBusinessDate(d ? d.format('YYYY-MM-DD') : undefined)}
        />
      </Space>
      {refusal && <Refusal body={refusal} title="交办未成功" />}
      <Space>
        <Button type="primary" loading={hand.isPending} onClick={() => {
          setRefusal(null);
          hand.mutate();
        }}>
          确认交办
        </Button>
        <Button onClick={onClose}>取消</Button>
      </Space>
    </Space>
  );
}
