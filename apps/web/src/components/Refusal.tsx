import { Alert, Space, Tag } from 'antd';
import type { ApiErrorBody } from '../api/client';

/** An API refusal: its message, the fields it names (with their Chinese messages), the engine's reasons with rule ids. */
export function Refusal({ body, title }: { body: ApiErrorBody; title: string }) {
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      style={{ marginBottom: 12 }}
      title={body.status === 409 && (body.reasons ?? []).length > 0 ? '流程不允许此操作' : title}
      description={
        <Space orientation="vertical" style={{ width: '100%' }}>
          {!(body.reasons ?? []).some((r) => r.message === body.message) && <span>{body.message}</span>}
          {(body.issues ?? []).map((i, n) => (
            <span key={`i${n}`}>{i.message}</span>
          ))}
          {(body.reasons ?? []).map((r, n) => (
            <div key={n} className="refusal-reason">
              {r.message}
              {[...new Set(r.rules ?? [])].map((rule) => (
                <Tag key={rule} color="red" style={{ marginInlineStart: 8 }}>
                  依据 {rule}
                </Tag>
              ))}
            </div>
          ))}
        </Space>
      }
    />
  );
}
