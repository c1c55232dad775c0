import { useQueries, useQuery } from '@tanstack/react-query';
import { Alert, Card, Empty, Space, Table, Tag, Typography } from 'antd';
import { api, ApiFailure, must } from '../api/client';
import { LightBadge } from '../components/LightBadge';
import { chineseDate } from '../format';
import { planHref } from '../route';

/**
 * 我的待办: the open plans in this user's scope (the ledger, soonest due first) on which the
 * engine offers them an action with nothing in the way now (each plan's detail says so).
 */
export function TodoPage() {
  const ledger = useQuery({
    queryKey: ['ledger', 'open-by-due'],
    queryFn: async () => must(await api.GET('/api/plans', { params: { query: { status: 'open', sort: 'due', direction: 'asc', limit: 100 } } })),
  });
  const rows = ledger.data?.rows ?? [];
  const details = useQueries({
    queries: rows.map((r) => ({
      queryKey: ['plan', r.planId],
      queryFn: async () => must(await api.GET('/api/plans/{id}', { params: { path: { id: r.planId } } })),
    })),
  });
  const loading = ledger.isLoading || details.some((d) => d.isLoading);
  const todo = rows
    .map((row, i) => ({ row, detail: details[i]?.data }))
    .filter(({ detail }) => detail?.actions.some((a) => a.blockers.length === 0))
    .map(({ row, detail }) => ({ ...row, now: detail!.actions.filter((a) => a.blockers.length === 0) }));
  const failure = ledger.error instanceof ApiFailure ? ledger.error.message : ledger.error ? '台账读取失败' : null;
  return (
    <Card title={<Typography.Title level={3} style={{ margin: 0 }}>我的待办</Typography.Title>} extra={<span>按到期日排序,最近到期的在前</span>}>
      {failure && <Alert type="error" showIcon title={failure} />}
      <Table
        rowKey="planId"
        loading={loading}
        dataSource={loading ? [] : todo}
        pagination={false}
        locale={{ emptyText: <Empty description="目前没有需要本单位办理的方案" /> }}
        columns={[
          { title: '亮灯', dataIndex: 'light', width: 100, render: (l: 'red' | 'yellow' | 'green') => <LightBadge light={l} /> },
          { title: '方案', dataIndex: 'title', render: (t: string, r) => <a href={planHref(r.planId)}>{t}</a> },
          { title: '当前阶段', dataIndex: ['stage', 'label'], width: 180 },
          {
            title: '现在可办理',
            dataIndex: 'now',
            render: (now: Array<{ action: string; label: string }>) => (
              <Space size={[4, 4]} wrap>
                {now.map((a) => (
                  <Tag key={a.action} color="blue">
                    {a.label}
                  </Tag>
                ))}
              </Space>
            ),
          },
          { title: '最近到期', dataIndex: 'nextDue', width: 160, render: (d: string | null, r) => <span style={r.overdue ? { color: '#cf1322' } : undefined}>{chineseDate(d)}{r.overdue ? '(已逾期)' : ''}</span> },
        ]}
      />
    </Card>
  );
}
