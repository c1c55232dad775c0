import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Drawer, Empty, Form, Input, InputNumber, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { api, ApiFailure, must, type Schemas } from '../api/client';
import { namedReasons, scoreText, traceRows, type Scored, type ScoredIndicator } from '../assessment/trace';
import { saveBlob } from '../files';
import { chineseDate, chineseDateTime } from '../format';
import { planHref } from '../route';

type Assessment = Schemas['Assessment'];
const failureOf = (e: unknown) => (e instanceof ApiFailure ? e.message : e ? '读取失败' : null);

/**
 * 年度考核 (reform office; S4, A14, A15, Y12–Y15, H7): compute a year's assessment or open one
 * computed before; scores per unit of the level and per area one level down; every score opens
 * its trace (the records that produced it, and its sum); the naming list (通报名单, H7); the red
 * list (红榜, Y14) with adding and publishing; the workbook (.xlsx).
 */
export function AssessmentsPage() {
  const queries = useQueryClient();
  const { message } = App.useApp();
  const [year, setYear] = useState<number>(dayjs().year());
  const [chosen, setChosen] = useState<string | null>(null);
  const list = useQuery({ queryKey: ['assessments', year], queryFn: async () => must(await api.GET('/api/assessments', { params: { query: { year } } })) });
  // The one chosen, else the latest computed of the year.
  const id = chosen ?? list.data?.[list.data.length - 1]?.id ?? null;
  const detail = useQuery({
    queryKey: ['assessment', id],
    enabled: id !== null,
    queryFn: async () => must(await api.GET('/api/assessments/{id}', { params: { path: { id: id! } } })),
  });
  const compute = useMutation({
    mutationFn: async () => must(await api.POST('/api/assessments', { body: { year } })),
    onSuccess: (a) => {
      message.success(`已计算${a.year}年度考核`);
      queries.setQueryData(['assessment', a.id], a);
      setChosen(a.id);
      void queries.invalidateQueries({ queryKey: ['assessments', year] });
    },
  });
  const download = useMutation({
    mutationFn: async (a: Assessment) => {
      const r = await api.GET('/api/assessments/{id}/export.xlsx', { params: { path: { id: a.id } }, parseAs: 'blob' });
      saveBlob(must(r) as Blob, r.response, `${a.year}年度改革考核.xlsx`);
    },
  });
  const failure = failureOf(list.error) ?? failureOf(detail.error) ?? failureOf(compute.error) ?? failureOf(download.error);
  const a = id !== null ? detail.data : undefined;

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        年度考核
      </Typography.Title>
      <Card>
        <Space wrap>
          <span>考核年度</span>
          <InputNumber
            aria-label="考核年度"
            min={2000}
            max={2100}
            value={year}
            onChange={(v) => {
              if (typeof v === 'number') {
                setYear(v);
                setChosen(null);
              }
            }}
          />
          <Button type="primary" loading={compute.isPending} onClick={() => compute.mutate()}>
            计算{year}年度考核
          </Button>
          {list.data && list.data.length > 0 && (
            <Select
              aria-label="已计算的考核"
              style={{ minWidth: 360 }}
              value={id ?? undefined}
              onChange={(v: string) => setChosen(v)}
              options={list.data.map((s) => ({ value: s.id, label: `${s.scheme.title} · 计至${chineseDate(s.asOf)} · ${chineseDateTime(s.computedAt)}计算` }))}
            />
          )}
        </Space>
      </Card>
      {failure && <Alert type="error" showIcon title={failure} />}
      {!a && !list.isLoading && !detail.isLoading && <Empty description={`${year}年度尚未计算考核`} />}
      {a && <AssessmentView a={a} onDownload={() => download.mutate(a)} downloading={download.isPending} />}
    </Space>
  );
}

// The score table's column widths (px).
const SUBJECT_WIDTH = 190;
const TOTAL_WIDTH = 100;
const INDICATOR_WIDTH = 104;

function AssessmentView({ a, onDownload, downloading }: { a: Assessment; onDownload: () => void; downloading: boolean }) {
  const [trace, setTrace] = useState<{ subject: Scored['subject']; indicator: ScoredIndicator } | null>(null);
  const scores = (rows: Scored[], who: string) => (
    <Table
      size="small"
      rowKey={(r) => `${r.subject.type}:${r.subject.id}`}
      dataSource={rows}
      pagination={false}
      // Fixed widths (headers wrap) so the scheme's columns fit a 1280-wide screen; a wider scheme scrolls inside the table.
      scroll={{ x: SUBJECT_WIDTH + TOTAL_WIDTH + a.scheme.indicators.length * INDICATOR_WIDTH }}
      aria-label={`${who}得分`}
      locale={{ emptyText: <Empty description="没有考核对象" /> }}
      columns={[
        { title: who, dataIndex: ['subject', 'name'], fixed: 'left', width: SUBJECT_WIDTH },
        { title: '总分', width: TOTAL_WIDTH, render: (_, r) => <strong>{`${scoreText(r.total)} / ${scoreText(r.fullMarks)}`}</strong> },
        ...a.scheme.indicators.map((ind, i) => ({
          title: `${ind.title}(${ind.points} 分)`,
          key: ind.id,
          width: INDICATOR_WIDTH,
          render: (_: unknown, r: Scored) => {
            const scored = r.indicators[i];
            if (!scored) return '—';
            return (
              <Button type="link" size="small" aria-label={`${r.subject.name}「${scored.title}」${scoreText(scored.score)} 分:查看计分明细`} onClick={() => setTrace({ subject: r.subject, indicator: scored })}>
                {scoreText(scored.score)}
              </Button>
            );
          },
        })),
      ]}
    />
  );
  return (
    <Card
      title={`${a.year}年度 · ${a.scheme.title}(${a.region.name})`}
      extra={
        <Button onClick={onDownload} loading={downloading}>
          导出 Excel
        </Button>
      }
    >
      <Descriptions size="small" column={3} style={{ marginBottom: 16 }}>
        <Descriptions.Item label="计至">{chineseDate(a.asOf)}</Descriptions.Item>
        <Descriptions.Item label="计算时间">{chineseDateTime(a.computedAt)}</Descriptions.Item>
        <Descriptions.Item label="依据">{a.scheme.ruleId}</Descriptions.Item>
      </Descriptions>
      <Typography.Paragraph type="secondary">点击任一得分,查看这一分来自哪些时限、事项、函件、问题和评估(A15 可核查、可量化)。</Typography.Paragraph>
      <Tabs
        items={[
          { key: 'units', label: '各单位得分', children: scores(a.units, '单位') },
          { key: 'areas', label: '各地区得分', children: scores(a.areas, '地区') },
          { key: 'named', label: `通报名单(H7,${a.named.length})`, children: <NamedList a={a} /> },
          { key: 'red', label: '红榜', children: <RedList a={a} /> },
        ]}
      />
      <Drawer open={!!trace} size="large" title={trace ? `${trace.subject.name} · ${trace.indicator.title}` : ''} onClose={() => setTrace(null)}>
        {trace && <Trace indicator={trace.indicator} />}
      </Drawer>
    </Card>
  );
}

function Trace({ indicator }: { indicator: ScoredIndicator }) {
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label="指标">{`${indicator.title}(依据 ${indicator.ruleId},分值 ${indicator.points} 分)`}</Descriptions.Item>
        <Descriptions.Item label="得分">{scoreText(indicator.score)}</Descriptions.Item>
        <Descriptions.Item label="算式">{indicator.formula}</Descriptions.Item>
      </Descriptions>
      <Table
        size="small"
        rowKey="key"
        aria-label="计分明细"
        dataSource={traceRows(indicator)}
        pagination={false}
        locale={{ emptyText: <Empty description="没有计入的记录" /> }}
        columns={[
          { title: '类别', dataIndex: 'type', width: 110 },
          { title: '记录', dataIndex: 'label' },
          { title: '方案', dataIndex: 'plan', render: (t: string, _r, i) => (indicator.records[i]?.planId ? <a href={planHref(indicator.records[i].planId!)}>{t}</a> : t) },
          { title: '日期', dataIndex: 'date', width: 130, render: (d: string | null) => chineseDate(d) },
          { title: '结果', dataIndex: 'outcome' },
          { title: '计分', dataIndex: 'counted', width: 80, render: (c: string) => <Tag color={c === '计入' ? 'green' : c === '扣分' ? 'red' : 'default'}>{c}</Tag> },
        ]}
      />
    </Space>
  );
}

function NamedList({ a }: { a: Assessment }) {
  return (
    <Table
      size="small"
      rowKey={(r) => `${r.subject.type}:${r.subject.id}`}
      aria-label="通报名单"
      dataSource={a.named}
      pagination={false}
      locale={{ emptyText: <Empty description="没有应予通报的单位或地区" /> }}
      columns={[
        { title: '单位或地区', dataIndex: ['subject', 'name'], width: 240 },
        { title: '原因', render: (_, r) => namedReasons(r).map((line) => <div key={line}>{line}</div>) },
        {
          title: '据以通报的记录',
          render: (_, r) =>
            r.reasons.flatMap((x) => x.records).map((rec, i) => (
              <div key={`${rec.type}:${rec.id}:${i}`}>{`${rec.planTitle ? `${rec.planTitle} · ` : ''}${rec.label} · ${chineseDate(rec.date)} · ${rec.outcome}`}</div>
            )),
        },
      ]}
    />
  );
}

function RedList({ a }: { a: Assessment }) {
  const queries = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ target: string; reason: string }>();
  const red = useQuery({ queryKey: ['red-list', a.year], queryFn: async () => must(await api.GET('/api/assessments/red-list', { params: { query: { year: a.year } } })) });
  // Those the office may list: the units of its level and the areas one level down, as the assessment counts them.
  const subjects = [...a.units, ...a.areas].map((s) => s.subject);
  const add = useMutation({
    mutationFn: async (v: { target: string; reason: string }) => {
      const s = subjects.find((x) => `${x.type}:${x.id}` === v.target)!;
      const target = s.type === 'unit' ? { type: 'unit' as const, unitId: s.id } : { type: 'region' as const, regionId: s.id };
      return must(await api.POST('/api/assessments/red-list', { body: { year: a.year, target, reason: v.reason } }));
    },
    onSuccess: (e) => {
      message.success(`已列入红榜:${e.target.name}`);
      form.resetFields();
      void queries.invalidateQueries({ queryKey: ['red-list', a.year] });
    },
  });
  const publish = useMutation({
    mutationFn: async (id: string) => must(await api.POST('/api/assessments/red-list/{id}/publish', { params: { path: { id } }, body: {} })),
    onSuccess: (e) => {
      message.success(`已公布:${e.target.name}`);
      void queries.invalidateQueries({ queryKey: ['red-list', a.year] });
    },
  });
  const failure = failureOf(red.error) ?? failureOf(add.error) ?? failureOf(publish.error);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {failure && <Alert type="error" showIcon title={failure} />}
      <Table
        size="small"
        rowKey="id"
        aria-label="红榜"
        loading={red.isLoading}
        dataSource={red.data ?? []}
        pagination={false}
        locale={{ emptyText: <Empty description={`${a.year}年度红榜尚无条目`} /> }}
        columns={[
          { title: '单位或地区', dataIndex: ['target', 'name'], width: 240 },
          { title: '理由', dataIndex: 'reason' },
          { title: '列入时间', dataIndex: 'addedAt', width: 180, render: (d: string) => chineseDateTime(d) },
          {
            title: '状态',
            width: 220,
            render: (_, e) =>
              e.published ? (
                <Tag color="red">{`已公布(${chineseDate(e.publishedAt)})`}</Tag>
              ) : (
                <Button size="small" loading={publish.isPending && publish.variables === e.id} onClick={() => publish.mutate(e.id)}>
                  通报表扬(公布)
                </Button>
              ),
          },
        ]}
      />
      <Form form={form} layout="inline" aria-label="列入红榜" onFinish={(v) => add.mutate(v)}>
        <Form.Item name="target" label="单位或地区" rules={[{ required: true, message: '请选择单位或地区' }]}>
          <Select style={{ width: 280 }} options={subjects.map((s) => ({ value: `${s.type}:${s.id}`, label: s.name }))} />
        </Form.Item>
        <Form.Item name="reason" label="理由" rules={[{ required: true, message: '请填写列入红榜的理由' }]}>
          <Input style={{ width: 320 }} maxLength={500} />
        </Form.Item>
        <Button htmlType="submit" loading={add.isPending}>
          列入红榜
        </Button>
      </Form>
      <Typography.Text type="secondary">公布后计入考核的红榜加分(Y15);重新计算考核后可见。</Typography.Text>
    </Space>
  );
}
