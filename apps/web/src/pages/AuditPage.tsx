import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Space, Table, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { api, ApiFailure, must, type Schemas } from '../api/client';
import { current, firstPage, next, pageNumber, previous, shortHash } from '../audit/paging';
import { chineseDateTime } from '../format';
import { planHref } from '../route';

type Row = Schemas['AuditPage']['rows'][number];
const PAGE = 20;

/**
 * 审计 (reform office; A15 全程留痕): verify the hash chain (GET /api/audit/verify, the province's
 * reform office: rows checked, the head's hash, the first broken row and how it broke) and read
 * the trail newest first (GET /api/audit/entries: the office's level and below), page by page.
 */
export function AuditPage() {
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        审计
      </Typography.Title>
      <Verification />
      <Entries />
    </Space>
  );
}

function Verification() {
  const verify = useQuery({ queryKey: ['audit', 'verify'], queryFn: async () => must(await api.GET('/api/audit/verify')) });
  const v = verify.data;
  const refused = verify.error instanceof ApiFailure && verify.error.body.status === 403;
  return (
    <Card
      title="核验审计链"
      extra={
        <Button onClick={() => void verify.refetch()} loading={verify.isFetching} disabled={refused}>
          重新核验
        </Button>
      }
      loading={verify.isLoading}
    >
      {verify.error && <Alert type={refused ? 'info' : 'error'} showIcon title={verify.error instanceof ApiFailure ? verify.error.message : '核验失败'} />}
      {v && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Alert type={v.ok ? 'success' : 'error'} showIcon title={v.lines[0]} description={v.lines.slice(1).join(' ')} />
          <section aria-label="核验结果">
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label="已核验记录">{`${v.rowsChecked} 条`}</Descriptions.Item>
            <Descriptions.Item label={v.ok ? '链头' : '断点之前完好的最后一条'}>{`第 ${v.headSeq} 条`}</Descriptions.Item>
            <Descriptions.Item label="链头哈希">
              <Typography.Text code copyable style={{ wordBreak: 'break-all' }}>
                {v.headHash}
              </Typography.Text>
            </Descriptions.Item>
            {v.broken && <Descriptions.Item label="第一处断裂">{`第 ${v.broken.seq} 条:${v.broken.message}`}</Descriptions.Item>}
          </Descriptions>
          </section>
        </Space>
      )}
    </Card>
  );
}

function Entries() {
  const [pages, setPages] = useState(firstPage);
  const before = current(pages);
  const list = useQuery({
    queryKey: ['audit', 'entries', before],
    queryFn: async () => must(await api.GET('/api/audit/entries', { params: { query: { limit: PAGE, ...(before === undefined ? {} : { before }) } } })),
  });
  const failure = list.error instanceof ApiFailure ? list.error.message : list.error ? '审计记录读取失败' : null;
  return (
    <Card
      title="审计记录(新的在前)"
      extra={
        <Space>
          <span>{`第 ${pageNumber(pages)} 页`}</span>
          <Button onClick={() => setPages(firstPage())} disabled={pageNumber(pages) === 1}>
            第一页
          </Button>
          <Button onClick={() => setPages(previous(pages))} disabled={pageNumber(pages) === 1}>
            上一页
          </Button>
          <Button onClick={() => setPages(next(pages, list.data?.nextCursor))} disabled={!list.data?.nextCursor}>
            下一页
          </Button>
        </Space>
      }
    >
      {failure && <Alert type="error" showIcon title={failure} />}
      <Table<Row>
        size="small"
        rowKey="seq"
        aria-label="审计记录"
        loading={list.isLoading}
        dataSource={list.data?.rows ?? []}
        pagination={false}
        columns={[
          { title: '序号', dataIndex: 'seq', width: 80 },
          { title: '时间', dataIndex: 'at', width: 180, render: (at: string) => chineseDateTime(at) },
          { title: '操作', dataIndex: 'actionLabel', width: 200 },
          { title: '操作人', render: (_, r) => (r.actor ? [r.actor.unitName, r.actor.displayName ?? r.actor.name].filter(Boolean).join(' · ') || '—' : '系统(引擎自动)') },
          {
            title: '对象',
            render: (_, r) =>
              r.target.type === 'plan' && r.target.id && r.target.title ? (
                <a href={planHref(r.target.id)}>{`${r.target.typeLabel}${r.target.title}`}</a>
              ) : (
                `${r.target.typeLabel}${r.target.title ?? ''}`
              ),
          },
          {
            title: '哈希',
            dataIndex: 'hash',
            width: 150,
            render: (h: string) => (
              <Tooltip title={h}>
                <Typography.Text code>{shortHash(h)}</Typography.Text>
              </Tooltip>
            ),
          },
        ]}
      />
    </Card>
  );
}
