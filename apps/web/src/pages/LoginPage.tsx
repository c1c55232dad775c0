import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import { startSession, useSession } from '../session';

interface LoginForm {
  username: string;
  password: string;
}

/** Username and password: an access token and a refresh token for this tab. */
export function LoginPage() {
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
    <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f5f5f5' }}>
      <Card style={{ width: 400 }}>
        <Typography.Title level={3} style={{ textAlign: 'center' }}>
          改革落实闭环
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
          请用本单位的账号登录
        </Typography.Paragraph>
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
      </Card>
    </div>
  );
}
