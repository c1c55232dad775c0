import { Spin } from 'antd';

/** What shows while a page's code (loaded on first use) arrives: a spinner and 正在加载…. */
export function Loading() {
  return (
    <div role="status" style={{ display: 'flex', justifyContent: 'center', alignItems: 'center', gap: 12, margin: 48 }}>
      <Spin size="large" />
      正在加载…
    </div>
  );
}
