import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Empty, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, ApiFailure, must, type Schemas } from '../api/client';
import type { operations } from '../api/schema';
import { chineseDate, chineseDateTime } from '../format';
import { downloadLetter, useMe } from '../office/data';
import { chasedDeadline, inboxOrder, letterSubjectHref, signingState, type InboxRow } from '../office/inbox';
import { LightBadge } from '../components/LightBadge';
import { LETTER_KIND, letterKindLabel } from '../office/problems';

type Kind = NonNullable<NonNullable<operations['InboxController_list']['parameters']['query']>['kind']>;

/** Every unsigned letter (page by page), and the newest signed ones. */
async function inbox(kind: Kind | undefined): Promise<InboxRow[]> {
  const rows: InboxRow[] = [];
  let cursor: string | undefined;
  do {
    const page = must(await api.GET('/api/inbox', { params: { query: { state: 'unsigned', limit: 100, ...(kind ? { kind } : {}), ...(cursor ? { cursor } : {}) } } }));
    rows.push(...page.rows);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const signed = must(await api.GET('/api/inbox', { params: { query: { state: 'signed', limit: 100, ...(kind ? { kind } : {}) } } }));
  return inboxOrder([...rows, ...signed.rows]);
}

/**
 * 收件箱 (issue 9 §2): the letters addressed (主送) or copied (抄送) to the caller's unit, unsigned
 * first; 签收 with who and when shown after; late signings flagged; each letter as .docx and .pdf.
 * The province's reform office also sees the outbox's delivery state.
 */
export function InboxPage() {
  const me = useMe();
  const queries = useQueryClient();
  const { message } = App.useApp();
  const [kind, setKind] = useState<Kind | undefined>(undefined);
  const list = useQuery({ queryKey: ['inbox', 'page', kind ?? ''], queryFn: () => inbox(kind) });
  const sign = useMutation({
    mutationFn: async (r: InboxRow) => must(await api.POST('/api/letters/{id}/sign', { params: { path: { id: r.letterId } }, body: {} })),
    onSuccess: async (s, r) => {
      message.success(s.signedNow ? `已签收:${r.number}` : `本单位此前已签收:${r.number}`);
      await queries.invalidateQueries({ queryKey: ['inbox'] });
    },
    onError: (e) => message.error(e instanceof ApiFailure ? e.message : '签收未成功'),
  });
  const download = async (r: InboxRow, format: 'docx' | 'pdf') => {
    try {
      await downloadLetter(r.letterId, r.number, format);
    } catch (e) {
      message.error(e instanceof ApiFailure ? e.message : '下载未成功');
    }
  };
  const rows = list.data ?? [];
  const unsigned = rows.filter((r) => !r.signedAt).length;
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        收件箱
      </Typography.Title>
      <Card size="small">
        <Space wrap>
          <span>{me.data ? `${me.data.unit.name}收到的函件` : ''}</span>
          <Tag color={unsigned > 0 ? 'red' : 'green'}>{`待签收 ${unsigned} 件`}</Tag>
          <Select<Kind>
            aria-label="文种"
            allowClear
            placeholder="全部文种"
            style={{ width: 160 }}
            value={kind}
            onChange={(v) => setKind(v || undefined)}
            options={Object.entries(LETTER_KIND).map(([value, label]) => ({ value: value as Kind, label }))}
          />
        </Space>
      </Card>
      {list.error && <Alert type="error" showIcon title={list.error instanceof ApiFailure ? list.error.message : '收件箱读取失败'} />}
      <Table<InboxRow>
        rowKey="letterId"
        size="small"
        aria-label="收到的函件"
        loading={list.isLoading}
        dataSource={rows}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description="暂无函件" /> }}
        columns={[
          {
            title: '函件',
            render: (_, r) => {
              const href = letterSubjectHref(r.planId);
              return (
                <Space orientation="vertical" size={0} style={{ maxWidth: 380 }}>
                  <span>
                    <Tag>{letterKindLabel(r.kind)}</Tag>
                    {r.number}
                  </span>
                  <strong>{r.subject}</strong>
                  {r.planTitle && <Typography.Text type="secondary">{href ? <a href={href}>{r.planTitle}</a> : r.planTitle}</Typography.Text>}
                </Space>
              );
            },
          },
          { title: '主送/抄送', dataIndex: 'relationLabel' },
          { title: '发文日期', dataIndex: 'issuedOn', render: chineseDate },
          {
            title: '所督时限',
            render: (_, r) => {
              const c = chasedDeadline(r, chineseDate);
              return (
                <Space orientation="vertical" size={0}>
                  <span>{c.label}</span>
                  <span>{c.dueText}</span>
                  {r.limitDate && <span>{`办理期限 ${chineseDate(r.limitDate)}`}</span>}
                  {(c.light || c.statusText) && (
                    <Space size={4}>
                      {c.light && <LightBadge light={c.light} />}
                      {c.statusText && <Tag>{c.statusText}</Tag>}
                    </Space>
                  )}
                </Space>
              );
            },
          },
          {
            title: '签收',
            width: 260,
            render: (_, r) => {
              const s = signingState(r, chineseDate, chineseDateTime);
              return (
                <Space wrap>
                  <Tag color={s.color} style={{ whiteSpace: 'normal' }}>
                    {s.text}
                  </Tag>
                  {s.canSign && (
                    <Button size="small" type="primary" aria-label={`签收 ${r.number}`} loading={sign.isPending && sign.variables?.letterId === r.letterId} onClick={() => sign.mutate(r)}>
                      签收
                    </Button>
                  )}
                </Space>
              );
            },
          },
          {
            title: '下载',
            render: (_, r) => (
              <Space>
                <Button size="small" aria-label={`${r.number} 下载 Word`} onClick={() => void download(r, 'docx')}>
                  Word
                </Button>
                <Button size="small" aria-label={`${r.number} 下载 PDF`} onClick={() => void download(r, 'pdf')}>
                  PDF
                </Button>
              </Space>
            ),
          },
        ]}
      />
      {me.data?.unit.kind === 'reform_office' && me.data.unit.region.level === 'province' && <Outbox />}
    </Space>
  );
}

/** The outbox's delivery state (the province's reform office; GET /api/outbox). */
function Outbox() {
  const outbox = useQuery({ queryKey: ['outbox'], retry: false, queryFn: async () => must(await api.GET('/api/outbox')) });
  const o = outbox.data;
  return (
    <Card title="函件通知投递" loading={outbox.isLoading}>
      {outbox.error && <Alert type="info" showIcon title={outbox.error instanceof ApiFailure ? outbox.error.message : '投递情况读取失败'} />}
      {o && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          {!o.configured && <Alert type="warning" showIcon title="未配置通知地址:待投递的通知保持待投递" />}
          <Descriptions size="small" column={3} bordered>
            <Descriptions.Item label="待投递">{`${o.counts.pending} 条`}</Descriptions.Item>
            <Descriptions.Item label="已投递">{`${o.counts.delivered} 条`}</Descriptions.Item>
            <Descriptions.Item label="投递失败待重试">{`${o.counts.failing} 条`}</Descriptions.Item>
          </Descriptions>
          <Table<Schemas['OutboxStatus']['undelivered'][number]>
            rowKey="deliveryKey"
            size="small"
            aria-label="未投递的通知"
            pagination={{ pageSize: 10, hideOnSinglePage: true }}
            dataSource={o.undelivered}
            locale={{ emptyText: <Empty description="没有未投递的通知" /> }}
            columns={[
              { title: '已尝试', dataIndex: 'attempts', render: (n: number) => `${n} 次` },
              { title: '下次尝试', dataIndex: 'nextAttemptAt', render: chineseDateTime },
              { title: '最近一次失败', dataIndex: 'lastError', render: (e: string | null) => (e ? '投递未成功' : '—') },
            ]}
          />
        </Space>
      )}
    </Card>
  );
}
