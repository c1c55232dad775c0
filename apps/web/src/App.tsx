import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Layout, Menu, Space, Typography } from 'antd';
import { useEffect } from 'react';
import { api, must } from './api/client';
import { LedgerPage } from './pages/LedgerPage';
import { LoginPage } from './pages/LoginPage';
import { PlanPage } from './pages/PlanPage';
import { TodoPage } from './pages/TodoPage';
import { useRoute } from './route';
import { endSession, session, useSession } from './session';

/** The console: the login page while signed out, else the page the URL names. */
export function App() {
  const { tokens } = useSession();
  const queries = useQueryClient();
  // Nothing cached of one session is shown in the next.
  useEffect(() => {
    if (!tokens) queries.clear();
  }, [tokens, queries]);
  return tokens ? <SignedIn /> : <LoginPage />;
}

function SignedIn() {
  const route = useRoute();
  const me = useQuery({ queryKey: ['me'], queryFn: async () => must(await api.GET('/api/auth/me')) });
  const logout = async () => {
    const refreshToken = session.get().tokens?.refreshToken;
    if (refreshToken) await api.POST('/api/auth/logout', { body: { refreshToken } });
    endSession('已退出登录。');
  };
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 24, paddingInline: 24 }}>
        <Typography.Title level={4} style={{ color: '#fff', margin: 0, whiteSpace: 'nowrap' }}>
          改革落实闭环
        </Typography.Title>
        <Menu
          theme="dark"
          mode="horizontal"
          selectedKeys={[route.page === 'plan' ? '' : route.page]}
          items={[
            { key: 'todo', label: <a href="#/">我的待办</a> },
            { key: 'ledger', label: <a href="#/ledger">方案台账</a> },
          ]}
          style={{ flex: 1, minWidth: 0 }}
        />
        <Space style={{ color: '#fff' }}>
          <span>{me.data ? `${me.data.unit.name} · ${me.data.displayName}` : ''}</span>
          <Button size="small" onClick={logout}>
            退出登录
          </Button>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 24, maxWidth: 1600, width: '100%', margin: '0 auto' }}>
        {route.page === 'plan' ? <PlanPage planId={route.planId} /> : route.page === 'ledger' ? <LedgerPage search={route.search} /> : <TodoPage />}
      </Layout.Content>
    </Layout>
  );
}
