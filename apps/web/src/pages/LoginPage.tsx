import { Alert, Button, Form, Input, theme } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import { startSession, useSession } from '../session';

interface LoginForm {
  username: string;
  password: string;
}

/**
 * Username and password: an access token and a refresh token for this tab. The first page anyone
 * loads: drawn with antd's form, button and alert only (a box and headings of its own rather than
 * Card and Typography), the console itself comes after signing in (Root.tsx).
 */
export function LoginPage() {
  const { token } = theme.useToken();
  const { username, notice } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (values: LoginForm) => {
    setBusy(true);
    setError(null);
    try {
      const { data, error: failed } = await api.POST('/api/auth/login', { body: values });
      if (data) startSession(values.username, data);
      else setError(failed?.error.message ?? '登录失败');
    } catch {
      setError('无法连接服务器,请稍后再试');
    } finally {
      setBusy(false);
    }
  };
  return (
    <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f5f5f5', fontFamily: token.fontFamily, fontSize: token.fontSize, color: token.colorText }}>
      <main style={{ width: 400, boxSizing: 'border-box', padding: token.paddingLG, background: token.colorBgContainer, border: `1px solid ${token.colorBorderSecondary}`, borderRadius: token.borderRadiusLG }}>
        <h1 style={{ textAlign: 'center', margin: `0 0 ${token.marginXS}px`, fontSize: token.fontSizeHeading3, fontWeight: token.fontWeightStrong, color: token.colorTextHeading }}>改革落实闭环</h1>
        <p style={{ textAlign: 'center', margin: `0 0 ${token.marginLG}px`, color: token.colorTextSecondary }}>请用本单位的账号登录</p>
        {notice && <Alert type="info" showIcon title={notice} style={{ marginBottom: 16 }} />}
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
        <Form<LoginForm> layout="vertical" onFinish={submit} initialValues={{ username: username ?? '' }}>
          <Form.Item label="用户名" name="username" rules={[{ required: true, message: '请输入用户名' }]}>
            <Input autoFocus={!username} autoComplete="username" />
          </Form.Item>
          <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password autoFocus={!!username} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            登录
          </Button>
        </Form>
      </main>
    </div>
  );
}
