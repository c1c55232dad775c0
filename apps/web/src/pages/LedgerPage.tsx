import { queryOptions, useMutation, usePrefetchQuery, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Empty, Form, Input, InputNumber, Modal, Popconfirm, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { memo, ReactNode, useEffect, useMemo, useState } from 'react';
import { api, ApiFailure, must } from '../api/client';
import type { paths } from '../api/schema';
import { LightBadge } from '../components/LightBadge';
import { procedureVersionsQuery, proceduresQuery, useMe, useUnits } from '../office/data';
import { RegisterPlan } from '../components/RegisterPlan';
import { TaskListImport } from '../components/TaskListImport';
import { chineseDate } from '../format';
import { saveBlob } from '../files';
import { applyFilters, asApiQuery, ledgerHref, LedgerFilters, nextPage, parseLedgerQuery, withoutPage } from '../ledger-query';
import { planHref } from '../route';

type PlansQuery = NonNullable<paths['/api/plans']['get']['parameters']['query']>;
type ExportQuery = NonNullable<paths['/api/ledger/export.xlsx']['get']['parameters']['query']>;

const go = (filters: LedgerFilters) => {
  window.location.hash = ledgerHref(filters);
};

const failureText = (e: unknown, fallback: string) => (e instanceof ApiFailure ? e.message : e ? fallback : null);

const LEVELS = [
  { value: 'province', label: '省级' },
  { value: 'city', label: '市级' },
  { value: 'county', label: '县级' },
];
const STATUSES = [
  { value: 'open', label: '办理中' },
  { value: 'closed', label: '已办结' },
];
const LIGHTS = [
  { value: 'red', label: '红灯' },
  { value: 'yellow', label: '黄灯' },
  { value: 'green', label: '绿灯' },
];
const YES_NO = (yes: string, no: string) => [
  { value: 'true', label: yes },
  { value: 'false', label: no },
];
const SORTS = [
  { value: 'due', label: '到期日' },
  { value: 'updated', label: '更新时间' },
  { value: 'title', label: '方案名称' },
  { value: 'stage', label: '阶段' },
];
const DIRECTIONS = [
  { value: 'asc', label: '升序' },
  { value: 'desc', label: '降序' },
];
const PAGE_SIZES = ['20', '50', '100'].map((v) => ({ value: v, label: `每页 ${v} 条` }));

/** The form's fields: parameters of GET /api/plans (others in the address are kept as they are). */
const FORM_FIELDS = ['text', 'level', 'procedure', 'stage', 'status', 'light', 'overdue', 'dueWithinDays', 'ruleId', 'unit', 'area', 'actionable', 'sort', 'direction', 'limit'] as const;

/** The page of rows the address asks for (GET /api/plans with its query). */
const ledgerRowsQuery = (search: string) =>
  queryOptions({
    queryKey: ['ledger', 'page', search],
    queryFn: async () => must(await api.GET('/api/plans', { params: { query: asApiQuery(parseLedgerQuery(search)) as PlansQuery } })),
  });

/**
 * The stages to filter by, by their labels: those of the chosen procedure (every published
 * version's, the latest label first), or of every procedure when none is chosen, each id once.
 */
function useStageOptions(procedures: Array<{ id: string }>, chosen: string | undefined): Array<{ value: string; label: string }> {
  const ids = chosen ? [chosen] : procedures.map((p) => p.id);
  const versions = useQueries({ queries: ids.map((id) => procedureVersionsQuery(id)) });
  const seen = new Map<string, string>();
  for (const v of versions) {
    for (const version of [...(v.data?.versions ?? [])].sort((a, b) => b.version - a.version)) {
      for (const stage of version.stages) if (!seen.has(stage.id)) seen.set(stage.id, stage.label);
    }
  }
  return [...seen].map(([value, label]) => ({ value, label }));
}

/** The form's values for these filters: every field, undefined where the address has none. */
function formValues(filters: LedgerFilters): Record<(typeof FORM_FIELDS)[number], string | number | undefined> {
  const out = Object.fromEntries(FORM_FIELDS.map((name) => [name, filters[name]])) as Record<(typeof FORM_FIELDS)[number], string | number | undefined>;
  if (filters.dueWithinDays !== undefined) out.dueWithinDays = Number(filters.dueWithinDays);
  return out;
}

/**
 * 方案台账: the ledger in the caller's scope as `#/ledger?<query of GET /api/plans>` says: filters
 * as a form (written back into the address), sort, cursor paging, lights, a link per plan; the
 * user's saved views (kept on the server); the export of the ledger as filtered (.xlsx).
 */
export function LedgerPage({ search }: { search: string }) {
  // The rows are asked for as the page starts to render, from the address alone: useQuery alone
  // would send its request only once the whole page (the filter form's many fields) is on screen.
  usePrefetchQuery(ledgerRowsQuery(search));
  // Three parts that render apart: the rows arriving redraw the table only, not the form.
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <LedgerFilterCard search={search} />
      <SavedViews />
      <LedgerRows search={search} />
    </Space>
  );
}

/** The filters as a form, built once for the page's life: a new address (查询, a view, the back button, a link) sets its fields. */
const LedgerFilterCard = memo(function LedgerFilterCard({ search }: { search: string }) {
  const filters = useMemo(() => parseLedgerQuery(search), [search]);
  const procedures = useQuery(proceduresQuery);
  // A reform office registers the year's plans here (导入年度任务清单).
  const me = useMe();
  const [form] = Form.useForm();
  // Units and special groups by their Chinese names (the API filters by id), from the units
  // directory (GET /api/units: the units the caller's scope shows). Asked for only when a name is
  // needed (one of these fields used, or one in the address): not on every visit of the ledger.
  const [namesWanted, setNamesWanted] = useState(false);
  const wantNames = () => setNamesWanted(true);
  const units = useUnits({ enabled: namesWanted || !!(filters.unit || filters.area || filters.leadUnit) });
  const unitOptions = (units.data ?? []).map((u) => ({ value: u.id, label: u.name }));
  const areaOptions = (units.data ?? []).filter((u) => u.kind === 'special_group').map((u) => ({ value: u.id, label: u.name }));
  useEffect(() => {
    const values = formValues(filters);
    // Only the fields that differ (none after 查询: the form holds what it sent): the others are not redrawn.
    const changed = FORM_FIELDS.filter((name) => (form.getFieldValue(name) ?? undefined) !== values[name]);
    if (changed.length) form.setFields(changed.map((name) => ({ name, value: values[name], errors: [] })));
  }, [filters, form]);

  const stages = useStageOptions(procedures.data?.procedures ?? [], Form.useWatch('procedure', form) as string | undefined);
  // Each field of the form once: its parameter, its label (and hint), its width at md and xl, its control.
  const fields: Array<{ name: (typeof FORM_FIELDS)[number]; label: string; tooltip?: string; xs?: number; md?: number; xl?: number; control: ReactNode }> = [
    { name: 'text', label: '检索词', xs: 24, md: 8, xl: 6, control: <Input allowClear placeholder="方案名称或编号中的字词" /> },
    { name: 'level', label: '层级', md: 8, xl: 3, control: <Select allowClear options={LEVELS} placeholder="全部" /> },
    {
      name: 'procedure',
      label: '流程',
      md: 8,
      xl: 5,
      control: <Select allowClear placeholder="全部" options={(procedures.data?.procedures ?? []).map((p) => ({ value: p.id, label: p.title }))} />,
    },
    { name: 'status', label: '状态', xl: 3, control: <Select allowClear options={STATUSES} placeholder="全部" /> },
    { name: 'light', label: '亮灯', xl: 3, control: <Select allowClear options={LIGHTS} placeholder="全部" /> },
    { name: 'overdue', label: '是否逾期', control: <Select allowClear options={YES_NO('已逾期', '未逾期')} placeholder="全部" /> },
    { name: 'dueWithinDays', label: '几天内到期', control: <InputNumber min={0} max={3660} precision={0} style={{ width: '100%' }} placeholder="天数" /> },
    { name: 'ruleId', label: '依据', control: <Input allowClear placeholder="如 A9、S1" /> },
    { name: 'stage', label: '所处阶段', control: <Select allowClear showSearch optionFilterProp="label" options={stages} placeholder="全部" /> },
    {
      name: 'unit',
      label: '单位',
      tooltip: '牵头、参与或所属专项小组为该单位的方案',
      control: <Select allowClear showSearch optionFilterProp="label" options={unitOptions} placeholder="全部" onFocus={wantNames} onMouseEnter={wantNames} />,
    },
    { name: 'area', label: '专项小组', control: <Select allowClear showSearch optionFilterProp="label" options={areaOptions} placeholder="全部" onFocus={wantNames} onMouseEnter={wantNames} /> },
    { name: 'actionable', label: '本单位现在可办理', control: <Select allowClear options={YES_NO('可办理', '不可办理')} placeholder="全部" /> },
    { name: 'sort', label: '排序', control: <Select allowClear options={SORTS} placeholder="到期日" /> },
    { name: 'direction', label: '顺序', control: <Select allowClear options={DIRECTIONS} placeholder="默认" /> },
    { name: 'limit', label: '每页', control: <Select allowClear options={PAGE_SIZES} placeholder="每页 20 条" /> },
  ];

  const submit = (values: Record<string, unknown>) => {
    const changed: LedgerFilters = {};
    for (const key of FORM_FIELDS) changed[key] = values[key] === undefined || values[key] === null ? '' : String(values[key]);
    go(applyFilters(filters, changed));
  };
  return (
    <Card
      title={<Typography.Title level={3} style={{ margin: 0 }}>方案台账</Typography.Title>}
      extra={
        <Space>
          {(me.data?.unit.kind === 'reform_office' || me.data?.unit.kind === 'department') && <RegisterPlan />}
          {me.data?.unit.kind === 'reform_office' && <TaskListImport />}
          <ExportButton filters={filters} />
        </Space>
      }
    >
      <Form form={form} aria-label="台账筛选" layout="vertical" initialValues={formValues(filters)} onFinish={submit}>
        <Row gutter={16}>
          {fields.map((f) => (
            <Col key={f.name} xs={f.xs ?? 12} md={f.md ?? 6} xl={f.xl ?? 4}>
              <Form.Item label={f.label} name={f.name} tooltip={f.tooltip}>
                {f.control}
              </Form.Item>
            </Col>
          ))}
        </Row>
        <Space wrap>
          <Button type="primary" htmlType="submit">
            查询
          </Button>
          <Button onClick={() => go({})}>清除条件</Button>
          <SaveViewButton filters={filters} />
        </Space>
        {/* Filters from a link (the board's drill-down) the form has no field for: shown, and removable. */}
        {(filters.leadUnit || filters.region || filters.lateSigning) && (
          <Space wrap style={{ marginTop: 12 }} aria-label="其他筛选条件">
            <span>另按:</span>
            {filters.leadUnit && (
              <Tag closable onClose={() => go(applyFilters(filters, { leadUnit: '' }))}>
                牵头单位:{unitOptions.find((o) => o.value === filters.leadUnit)?.label ?? '其他单位'}
              </Tag>
            )}
            {filters.region && (
              <Tag closable onClose={() => go(applyFilters(filters, { region: '' }))}>
                所在地区(含下级)
              </Tag>
            )}
            {filters.lateSigning && (
              <Tag closable onClose={() => go(applyFilters(filters, { lateSigning: '' }))}>
                {filters.lateSigning === 'true' ? '有逾期签收的函件' : '没有逾期签收的函件'}
              </Tag>
            )}
          </Space>
        )}
      </Form>
    </Card>
  );
});

/** The page of rows the address names, and paging by the API's cursor. */
function LedgerRows({ search }: { search: string }) {
  const filters = parseLedgerQuery(search);
  const procedures = useQuery(proceduresQuery);
  const page = useQuery(ledgerRowsQuery(search));
  const procedureTitle = new Map((procedures.data?.procedures ?? []).map((p) => [p.id, p.title]));
  const failure = failureText(page.error, '台账读取失败');
  return (
    <Card>
      {failure && <Alert type="error" showIcon title={failure} style={{ marginBottom: 16 }} />}
      <Table
        rowKey="planId"
        aria-label="方案台账"
        loading={page.isLoading}
        dataSource={page.data?.rows ?? []}
        pagination={false}
        locale={{ emptyText: <Empty description="没有符合条件的方案" /> }}
        columns={[
          { title: '亮灯', dataIndex: 'light', width: 100, render: (l: 'red' | 'yellow' | 'green') => <LightBadge light={l} /> },
          { title: '方案', dataIndex: 'title', render: (t: string, r) => <a href={planHref(r.planId)}>{t}</a> },
          { title: '流程', dataIndex: ['procedure', 'id'], width: 160, render: (id: string) => procedureTitle.get(id) ?? '—' },
          { title: '当前阶段', dataIndex: ['stage', 'label'], width: 160 },
          { title: '状态', dataIndex: 'status', width: 90, render: (s: string) => (s === 'closed' ? '已办结' : '办理中') },
          {
            title: '最近到期',
            dataIndex: 'nextDue',
            width: 170,
            render: (d: string | null, r) => (
              <span style={r.overdue ? { color: '#cf1322' } : undefined}>
                {chineseDate(d)}
                {r.overdue ? '(已逾期)' : ''}
              </span>
            ),
          },
          { title: '逾期未签收函件', dataIndex: 'lateSignings', width: 130, render: (n: number) => (n ? <Tag color="red">{n} 件</Tag> : '—') },
        ]}
      />
      <Space style={{ marginTop: 16 }}>
        <Button disabled={!filters.cursor} onClick={() => go({ ...filters, cursor: undefined })}>
          第一页
        </Button>
        <Button disabled={!page.data?.nextCursor} onClick={() => page.data?.nextCursor && go(nextPage(filters, page.data.nextCursor))}>
          下一页
        </Button>
      </Space>
    </Card>
  );
}

/** Downloads the ledger as filtered on screen (all pages) as .xlsx. */
function ExportButton({ filters }: { filters: LedgerFilters }) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    try {
      const r = await api.GET('/api/ledger/export.xlsx', { params: { query: asApiQuery(withoutPage(filters)) as ExportQuery }, parseAs: 'blob' });
      saveBlob(must(r) as unknown as Blob, r.response, '方案台账.xlsx');
    } catch (e) {
      message.error(failureText(e, '导出失败') ?? '导出失败');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button onClick={download} loading={busy}>
      导出 Excel
    </Button>
  );
}

/** Saves the current filters (without the page) as a view under a name. */
function SaveViewButton({ filters }: { filters: LedgerFilters }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const queries = useQueryClient();
  const save = useMutation({
    mutationFn: async () => must(await api.POST('/api/ledger/views', { body: { name, filters: withoutPage(filters) as Record<string, string> } })),
    onSuccess: async () => {
      setOpen(false);
      setName('');
      await queries.invalidateQueries({ queryKey: ['ledger-views'] });
    },
  });
  return (
    <>
      <Button onClick={() => setOpen(true)}>保存为视图</Button>
      <Modal title="保存为台账视图" open={open} okText="保存" cancelText="取消" onOk={() => save.mutate()} confirmLoading={save.isPending} onCancel={() => setOpen(false)} destroyOnHidden>
        <Form layout="vertical" aria-label="保存视图" onFinish={() => save.mutate()}>
          <Form.Item label="视图名称" htmlFor="ledger-view-name">
            <Input id="ledger-view-name" value={name} onChange={(e) => setName(e.target.value)} maxLength={50} placeholder="如「省级逾期方案」" autoFocus />
          </Form.Item>
        </Form>
        {save.error && <Alert type="error" showIcon title={failureText(save.error, '保存失败')} />}
      </Modal>
    </>
  );
}

/** The user's saved views: open (the ledger with its filters) or delete. */
const SavedViews = memo(function SavedViews() {
  const queries = useQueryClient();
  const { message } = App.useApp();
  const views = useQuery({ queryKey: ['ledger-views'], queryFn: async () => must(await api.GET('/api/ledger/views')) });
  const remove = useMutation({
    mutationFn: async (id: string) => {
      const r = await api.DELETE('/api/ledger/views/{id}', { params: { path: { id } } });
      if (r.error) must(r);
    },
    onSuccess: () => queries.invalidateQueries({ queryKey: ['ledger-views'] }),
    onError: (e) => message.error(failureText(e, '删除失败') ?? '删除失败'),
  });
  const list = views.data ?? [];
  return (
    <Card size="small" title="我的视图">
      {views.error && <Alert type="error" showIcon title={failureText(views.error, '视图读取失败')} />}
      {list.length === 0 ? (
        <Typography.Text type="secondary">尚未保存视图:设好筛选条件后点「保存为视图」。</Typography.Text>
      ) : (
        <Space wrap size={[8, 8]} aria-label="我的视图">
          {list.map((v) => (
            <Space.Compact key={v.id}>
              <Button href={ledgerHref(v.filters as LedgerFilters)}>{v.name}</Button>
              <Popconfirm title={`删除视图「${v.name}」?`} okText="删除" cancelText="取消" onConfirm={() => remove.mutate(v.id)}>
                <Button danger aria-label={`删除视图「${v.name}」`}>
                  删除
                </Button>
              </Popconfirm>
            </Space.Compact>
          ))}
        </Space>
      )}
    </Card>
  );
});
