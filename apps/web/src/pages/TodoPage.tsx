import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Empty, Space, Table, Tag, Typography } from 'antd';
import { api, ApiFailure, must } from '../api/client';
import { LightBadge } from '../components/LightBadge';
import { chineseDate } from '../format';
import { planHref } from '../route';

/**
 * 我的待办: the open plans in this user's scope on which their unit can act now, soonest due
 * first: the ledger filtered by `actionable` (the API works out the roles from the unit's relation
 * to each plan and names the actions of the plan's stage), one request.
 */
export function TodoPage() {
  const ledger = useQuery({
    queryKey: ['ledger', 'actionable-by-due'],
    queryFn: async () => must(await api.GET('/api/plans', { params: { query: { actionable: true, sort: 'due', direction: 'asc', limit: 100 } } })),
  });
  const loading = ledger.isLoading;
  const todo = (ledger.data?.rows ?? []).map((row) => ({ ...row, now: row.actions ?? [] }));
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
