import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Row, Segmented, Space, Statistic, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { api, ApiFailure, must } from '../api/client';
import { ledgerHref, progressFilters, type LedgerFilters, type Light, type ProgressBy } from '../board/drill';
import { LIGHT_COLOR, letterSeries, progressSeries, rateText, trendSeries } from '../board/series';
import { EChart, type ChartOption } from '../components/EChart';
import { chineseDate } from '../format';
import { TodoPage } from './TodoPage';

const BY_LABEL: Record<ProgressBy, string> = { unit: '按牵头单位', area: '按专项小组', level: '按层级' };

/** A count that drills down to the ledger of the plans it counted (`#/ledger?<GET /api/plans query>`). */
function Drill({ filters, count, label }: { filters: LedgerFilters | null; count: number; label: string }) {
  if (!filters || count === 0) return <span>{count}</span>;
  return (
    <a href={ledgerHref(filters)} aria-label={`${label}:${count} 项,在台账中查看`}>
      {count}
    </a>
  );
}

const failureOf = (e: unknown) => (e instanceof ApiFailure ? e.message : e ? '看板数据读取失败' : null);

/**
 * 领导看板 (leading group, reform office): the dashboards of the caller's scope (GET
 * /api/dashboard/*) drawn with ECharts; every plan count drills down to the ledger with the
 * filter that counted it; and the plans on which the caller's unit can act now (我的待办).
 */
export function BoardPage() {
  const [by, setBy] = useState<ProgressBy>('unit');
  const lights = useQuery({ queryKey: ['dashboard', 'lights'], queryFn: async () => must(await api.GET('/api/dashboard/lights')) });
  const progress = useQuery({ queryKey: ['dashboard', 'progress', by], queryFn: async () => must(await api.GET('/api/dashboard/progress', { params: { query: { by } } })) });
  const indicators = useQuery({ queryKey: ['dashboard', 'indicators'], queryFn: async () => must(await api.GET('/api/dashboard/indicators')) });
  const problems = useQuery({ queryKey: ['dashboard', 'problems'], queryFn: async () => must(await api.GET('/api/dashboard/problems')) });
  const letters = useQuery({ queryKey: ['dashboard', 'letters'], queryFn: async () => must(await api.GET('/api/dashboard/letters')) });
  const trends = useQuery({ queryKey: ['dashboard', 'trends'], queryFn: async () => must(await api.GET('/api/dashboard/trends')) });
  const failure = [lights, progress, indicators, problems, letters, trends].map((q) => failureOf(q.error)).find(Boolean);

  const rows = progress.data?.rows ?? [];
  const bars = useMemo(() => progressSeries(rows), [rows]);
  const progressOption = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: bars.categories, inverse: true },
      series: bars.series.map((s) => ({ type: 'bar', name: s.name, stack: 'lights', data: s.data, itemStyle: { color: s.color }, barMaxWidth: 28 })),
    }),
    [bars],
  );
  const drillBar = (seriesIndex: number, dataIndex: number) => {
    const filters = progressFilters(by, bars.keys[dataIndex] ?? null, bars.series[seriesIndex]?.light);
    if (filters) window.location.hash = ledgerHref(filters);
  };

  const letterData = useMemo(() => (letters.data ? letterSeries(letters.data.year, letters.data.rows) : null), [letters.data]);
  const letterOption = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: letterData?.labels.map((l) => l.replace(/^\d{4}年/, '')) ?? [] },
      yAxis: { type: 'value', minInterval: 1, name: '件' },
      series: (letterData?.series ?? []).map((s) => ({ type: 'bar', name: s.name, stack: 'kinds', data: s.data, barMaxWidth: 24 })),
    }),
    [letterData],
  );
  const trend = useMemo(() => trendSeries(trends.data?.rows ?? []), [trends.data]);
  const trendOption = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: trend.labels },
      yAxis: { type: 'value', minInterval: 1 },
      series: trend.series.map((s) => ({ type: 'line', name: s.name, data: s.data, symbolSize: 6 })),
    }),
    [trend],
  );

  const l = lights.data;
  const ind = indicators.data;
  const pr = problems.data;
  const drillOf = (key: string | null, light?: Light) => progressFilters(by, key, light);
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Space align="baseline" wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          领导看板
        </Typography.Title>
        {l && <Typography.Text type="secondary">数据截至 {chineseDate(l.today)}</Typography.Text>}
      </Space>
      {failure && <Alert type="error" showIcon title={failure} />}

      <Row gutter={[16, 16]}>
        <Col xs={12} xl={4}>
          <Card size="small" loading={lights.isLoading}>
            <Statistic title="方案总数" valueRender={() => <Drill filters={{}} count={l ? l.plans.red + l.plans.yellow + l.plans.green : 0} label="方案总数" />} />
          </Card>
        </Col>
        <Col xs={12} xl={4}>
          <Card size="small" loading={lights.isLoading}>
            <Statistic title="逾期(红灯)" styles={{ content: { color: LIGHT_COLOR.red } }} valueRender={() => <Drill filters={{ light: 'red' }} count={l?.overdue ?? 0} label="逾期方案" />} />
          </Card>
        </Col>
        <Col xs={12} xl={4}>
          <Card size="small" loading={lights.isLoading}>
            <Statistic title="临近到期或进度落后(黄灯)" styles={{ content: { color: '#d48806' } }} valueRender={() => <Drill filters={{ light: 'yellow' }} count={l?.dueSoonOrBehind ?? 0} label="临近到期或进度落后的方案" />} />
          </Card>
        </Col>
        <Col xs={12} xl={4}>
          <Card size="small" loading={indicators.isLoading}>
            <Statistic title={`按期完成率(S4,${ind?.year ?? ''}年)`} value={rateText(ind?.onScheduleRate)} />
            <Typography.Text type="secondary">
              到期时限 {ind?.deadlines ?? 0} 个,按期完成 {ind?.deadlinesOnSchedule ?? 0} 个
            </Typography.Text>
          </Card>
        </Col>
        <Col xs={12} xl={4}>
          <Card size="small" loading={indicators.isLoading}>
            <Statistic title={`事项完成率(S4,${ind?.year ?? ''}年)`} value={rateText(ind?.completionRate)} />
            <Typography.Text type="secondary">
              具体改革事项 {ind?.items ?? 0} 项,已完成 {ind?.itemsCompleted ?? 0} 项
            </Typography.Text>
          </Card>
        </Col>
        <Col xs={12} xl={4}>
          <Card size="small" loading={problems.isLoading} title="问题库">
            <Space size="middle" wrap>
              <span>未销号 {pr?.open ?? 0}</span>
              <span>留号 {pr?.kept ?? 0}</span>
              <span>已销号 {pr?.cancelled ?? 0}</span>
              <span>已上交 {pr?.escalated ?? 0}</span>
            </Space>
          </Card>
        </Col>
      </Row>

      <Card
        title="落实进度"
        extra={<Segmented<ProgressBy> aria-label="进度分组" value={by} onChange={setBy} options={(Object.keys(BY_LABEL) as ProgressBy[]).map((k) => ({ value: k, label: BY_LABEL[k] }))} />}
      >
        <EChart label={`落实进度(${BY_LABEL[by]}),点击色块查看台账`} option={progressOption} height={Math.max(200, 48 + rows.length * 40)} onClick={({ seriesIndex, dataIndex }) => drillBar(seriesIndex, dataIndex)} />
        <Table
          size="small"
          rowKey={(r) => r.key ?? ''}
          loading={progress.isLoading}
          dataSource={rows}
          pagination={false}
          aria-label="落实进度明细"
          columns={[
            { title: { unit: '牵头单位', area: '专项小组', level: '层级' }[by], dataIndex: 'label' },
            { title: '方案', dataIndex: 'plans', width: 90, render: (n: number, r) => <Drill filters={drillOf(r.key)} count={n} label={`${r.label}的方案`} /> },
            { title: '办理中', dataIndex: 'open', width: 90 },
            { title: '已办结', dataIndex: 'closed', width: 90 },
            { title: '事项完成', width: 120, render: (_, r) => `${r.itemsCompleted} / ${r.items}` },
            { title: '红灯', width: 80, render: (_, r) => <Drill filters={drillOf(r.key, 'red')} count={r.lights.red} label={`${r.label}的红灯方案`} /> },
            { title: '黄灯', width: 80, render: (_, r) => <Drill filters={drillOf(r.key, 'yellow')} count={r.lights.yellow} label={`${r.label}的黄灯方案`} /> },
            { title: '绿灯', width: 80, render: (_, r) => <Drill filters={drillOf(r.key, 'green')} count={r.lights.green} label={`${r.label}的绿灯方案`} /> },
          ]}
        />
      </Card>

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card title={`函件(${letters.data?.year ?? ''}年,按月、按种类,共 ${letterData?.total ?? 0} 件)`} loading={letters.isLoading}>
            <EChart label="函件按月、按种类统计" option={letterOption} />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title="按月趋势(近 12 个月)" loading={trends.isLoading}>
            <EChart label="近 12 个月完成事项、发出函件、发现问题" option={trendOption} />
          </Card>
        </Col>
      </Row>

      <TodoPage />
    </Space>
  );
}
