import { Alert, Button, Layout, Menu, Space, Typography } from 'antd';
import { lazy, Suspense } from 'react';
import { api } from './api/client';
import { Loading } from './components/Loading';
import { TodoPage } from './pages/TodoPage';
import { useMe } from './office/data';
import { useRoute } from './route';
import { endSession, session } from './session';

// Loaded when first opened: 我的待办 (the page after signing in, in this chunk) does not pay for the ledger's form, the plan page, ECharts, CodeMirror and the office's pages.
const LedgerPage = lazy(() => import('./pages/LedgerPage').then((m) => ({ default: m.LedgerPage })));
const PlanPage = lazy(() => import('./pages/PlanPage').then((m) => ({ default: m.PlanPage })));
const BoardPage = lazy(() => import('./pages/BoardPage').then((m) => ({ default: m.BoardPage })));
const AuditPage = lazy(() => import('./pages/AuditPage').then((m) => ({ default: m.AuditPage })));
const AssessmentsPage = lazy(() => import('./pages/AssessmentsPage').then((m) => ({ default: m.AssessmentsPage })));
const WorkbenchPage = lazy(() => import('./pages/WorkbenchPage'));
const CalendarPage = lazy(() => import('./pages/CalendarPage'));
const ProblemsPage = lazy(() => import('./pages/ProblemsPage').then((m) => ({ default: m.ProblemsPage })));
const ProblemPage = lazy(() => import('./pages/ProblemPage').then((m) => ({ default: m.ProblemPage })));
const RoundsPage = lazy(() => import('./pages/RoundsPage').then((m) => ({ default: m.RoundsPage })));
const RoundPage = lazy(() => import('./pages/RoundsPage').then((m) => ({ default: m.RoundPage })));
const InboxPage = lazy(() => import('./pages/InboxPage').then((m) => ({ default: m.InboxPage })));

/** The console signed in (Console.tsx, loaded after the login page): the menu and the page the URL names. */
export function SignedIn() {
  const route = useRoute();
  const me = useMe();
  const logout = async () => {
    const refreshToken = session.get().tokens?.refreshToken;
    if (refreshToken) await api.POST('/api/auth/logout', { body: { refreshToken } });
    endSession('已退出登录。');
  };
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 24, paddingInline: 24 }}>
        <Typography.Title level={4} style={{ color: '#fff', margin: 0, whiteSpace: 'nowrap' }}>
          改革落实闭环
        </Typography.Title>
        <Space style={{ color: '#fff' }}>
          <span>{me.data ? `${me.data.unit.name} · ${me.data.displayName}` : ''}</span>
          <Button size="small" onClick={logout}>
            退出登录
          </Button>
        </Space>
      </Layout.Header>
      {/* The pages down the side: every one stays in sight from 1280×800 on, however many a unit has. */}
      <Layout>
        <Layout.Sider width={176} theme="dark" style={{ overflow: 'auto' }}>
          <Menu
            theme="dark"
            mode="inline"
            aria-label="导航"
            selectedKeys={[route.page === 'plan' ? '' : route.page === 'problem' ? 'problems' : route.page === 'round' ? 'rounds' : route.page]}
            items={[
              { key: 'todo', label: <a href="#/">我的待办</a> },
              { key: 'ledger', label: <a href="#/ledger">方案台账</a> },
              // Every unit: its inbox; the problem library as its scope gives it; the office's supervision rounds.
              { key: 'inbox', label: <a href="#/inbox">收件箱</a> },
              { key: 'problems', label: <a href="#/problems">问题库</a> },
              // Rounds: the office runs them; a department (a lead unit) answers its plans' self-inspections there.
              ...(me.data && ['reform_office', 'department'].includes(me.data.unit.kind) ? [{ key: 'rounds', label: <a href="#/rounds">督察轮次</a> }] : []),
              // The leaders' board: the leading group and the reform office.
              ...(me.data && ['leading_group', 'reform_office'].includes(me.data.unit.kind) ? [{ key: 'board', label: <a href="#/board">领导看板</a> }] : []),
              // The reform office's desk: the year-end assessment, the audit trail, the rules and the holiday calendar.
              ...(me.data?.unit.kind === 'reform_office'
                ? [
                    { key: 'assessments', label: <a href="#/assessments">年度考核</a> },
                    { key: 'audit', label: <a href="#/audit">审计</a> },
                    { key: 'workbench', label: <a href="#/workbench">规则工作台</a> },
                    { key: 'calendar', label: <a href="#/calendar">节假日安排</a> },
                  ]
                : []),
            ]}
            style={{ borderInlineEnd: 0 }}
          />
        </Layout.Sider>
        <Layout.Content style={{ padding: 24, flex: '1 1 0', minWidth: 0, maxWidth: 1600, marginInline: 'auto' }}>
          <Suspense fallback={<Loading />}>
            {route.page === 'plan' ? (
              <PlanPage planId={route.planId} />
            ) : route.page === 'ledger' ? (
              <LedgerPage search={route.search} />
            ) : route.page === 'board' ? (
              <BoardPage />
            ) : route.page === 'assessments' ? (
              <AssessmentsPage />
            ) : route.page === 'audit' ? (
              <AuditPage />
            ) : route.page === 'problems' ? (
              <ProblemsPage query={route.query} />
            ) : route.page === 'problem' ? (
              <ProblemPage problemId={route.problemId} />
            ) : route.page === 'rounds' ? (
              <RoundsPage />
            ) : route.page === 'round' ? (
              <RoundPage roundId={route.roundId} />
            ) : route.page === 'inbox' ? (
              <InboxPage />
            ) : route.page === 'workbench' || route.page === 'calendar' ? (
              !me.data ? null : me.data.unit.kind !== 'reform_office' ? (
                // An Alert, not antd's Result: its illustrations would weigh on every first load.
                <Alert type="info" showIcon title="规则工作台和节假日安排供改革办使用" description={<>{`${me.data.unit.name}是${me.data.unit.kindLabel}。`}<a href="#/">返回我的待办</a></>} />
              ) : route.page === 'workbench' ? (
                <WorkbenchPage />
              ) : (
                <CalendarPage />
              )
            ) : (
              <TodoPage />
            )}
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
