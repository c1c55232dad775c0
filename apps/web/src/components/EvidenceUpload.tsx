import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Space, Typography } from 'antd';
import { useRef, useState } from 'react';
import { api, ApiFailure, must } from '../api/client';
import { chineseDateTime } from '../format';
import { fileSize } from '../evidence';

/**
 * The evidence files of one specific item and an upload for it (POST
 * /api/plans/{id}/items/{itemId}/evidence: the body is the file, its name in the query). What the
 * API refuses (too large 413, a type not allowed 415, a unit that only reads 403) is shown as the
 * API says it, in Chinese.
 */
export function EvidenceUpload({ planId, itemId, itemTitle }: { planId: string; itemId: string; itemTitle: string }) {
  const queries = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const item = useQuery({
    queryKey: ['item', planId, itemId],
    queryFn: async () => must(await api.GET('/api/plans/{id}/items/{itemId}', { params: { path: { id: planId, itemId } } })),
  });
  const upload = async (file: File) => {
    setBusy(true);
    setError(null);
    try {
      must(
        await api.POST('/api/plans/{id}/items/{itemId}/evidence', {
          params: { path: { id: planId, itemId } },
          // The file's name goes in the query (the OpenAPI document does not list it for this operation).
          querySerializer: () => `filename=${encodeURIComponent(file.name)}`,
          body: file as never,
          bodySerializer: (b: unknown) => b as BodyInit,
          headers: { 'Content-Type': 'application/octet-stream' },
        }),
      );
      await queries.invalidateQueries({ queryKey: ['item', planId, itemId] });
    } catch (e) {
      setError(e instanceof ApiFailure ? e.message : '上传失败,请重试');
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  };
  const files = item.data?.evidence ?? [];
  return (
    <Space direction="vertical" size={4} style={{ width: '100%' }}>
      {files.map((f) => (
        <Typography.Text key={f.evidenceId}>
          {f.filename}({fileSize(f.size)},{f.uploadedBy.name} {chineseDateTime(f.uploadedAt)})
        </Typography.Text>
      ))}
      <input
        ref={input}
        type="file"
        hidden
        aria-label={`为事项「${itemTitle}」上传佐证材料`}
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void upload(file);
        }}
      />
      <Button size="small" loading={busy} onClick={() => input.current?.click()}>
        上传佐证材料
      </Button>
      {error && <Alert type="error" showIcon title={error} role="alert" />}
    </Space>
  );
}
