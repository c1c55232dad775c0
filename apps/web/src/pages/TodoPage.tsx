import { useQuery } from '@tanstack/react-query';
import { Alert, Space, Tag, Typography } from 'antd';
import { api, ApiFailure, must } from '../api/client';
import { LightBadge } from '../components/LightBadge';
import { Panel, PlainTable } from '../components/PlainTable';
import { chineseDate } from '../format';
import { useMe } from '../office/data';
import { planHref } from '../route';

/**
 * 我的待办: the open plans in this user's scope on which their unit can act now, soonest due
 * first: the ledger filtered by `actionable` (the API works out the roles from the unit's relation
 * to each plan and names the actions of the plan's stage), one request. The page after signing
 * in: drawn with PlainTable and Panel, not antd's Table and Card, to keep the first load small.
 */
export function TodoPage() {
  const ledger = useQuery({
    queryKey: ['ledger', 'actionable-by-due'],
    queryFn: async () => must(await api.GET('/api/plans', { params: { query: { actionable: true, sort: 'due', direction: 'asc', limit: 100 } } })),
  });
  // Who is asking (cached by the menu): an empty list says where plans come from, for this kind of unit.
  const me = useMe();
  const todo = ledger.data?.rows ?? [];
  const failure = ledger.error instanceof ApiFailure ? ledger.error.message : ledger.error ? '台账读取失败' : null;
  return (
    <Panel title={<Typography.Title level={3} style={{ margin: 0 }}>我的待办</Typography.Title>} extra={<span>按到期日排序,最近到期的在前</span>}>
      {failure && <Alert type="error" showIcon title={failure} style={{ marginBottom: 16 }} />}
      <PlainTable
        rows={todo}
        rowKey={(r) => r.planId}
        loading={ledger.isLoading}
        empty={
          <>
            <div>目前没有需要本单位办理的方案</div>
            <div style={{ marginTop: 4 }}>
              {me.data?.unit.kind === 'reform_office' ? (
                <>
                  方案由改革办登记:在<a href="#/ledger">方案台账</a>点「导入年度任务清单…」按模板成批登记,或点「登记方案…」代本级部门逐个登记;登记后的方案出现在牵头单位的待办中。
                </>
              ) : (
                <>方案由改革办导入年度任务清单登记,本单位牵头的也可在<a href="#/ledger">方案台账</a>点「登记方案…」自行登记;本单位现在可以办理的(牵头起草、审核、审查、审议或审批)列在这里,本单位可见的全部方案见方案台账。</>
              )}
            </div>
          </>
        }
        columns={[
          { key: 'light', title: '亮灯', width: 100, render: (r) => <LightBadge light={r.light} /> },
          { key: 'title', title: '方案', render: (r) => <a href={planHref(r.planId)}>{r.title}</a> },
          { key: 'stage', title: '当前阶段', width: 180, render: (r) => r.stage.label },
          {
            key: 'now',
            title: '现在可办理',
            render: (r) => (
              <Space size={[4, 4]} wrap>
                {(r.actions ?? []).map((a) => (
                  <Tag key={a.action} color="blue">
                    {a.label}
                  </Tag>
                ))}
              </Space>
            ),
          },
          { key: 'due', title: '最近到期', width: 160, render: (r) => <span style={r.overdue ? { color: '#cf1322' } : undefined}>{chineseDate(r.nextDue)}{r.overdue ? '(已逾期)' : ''}</span> },
        ]}
      />
    </Panel>
  );
}
