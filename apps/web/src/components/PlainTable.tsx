import { Empty, theme } from 'antd';
import type { CSSProperties, ReactNode } from 'react';
import { Loading } from './Loading';

/**
 * A table of a few rows for the pages of the first load (我的待办, the board's copy of it): a
 * semantic `<table>` drawn with antd's tokens. antd's Table brings its filters, sorters,
 * pagination and virtual list (select, tree, dropdown, checkbox, radio: about 90 KiB gzipped) to
 * every page that imports it; the ledger and the office's pages, loaded on first use, keep it.
 */
export interface PlainColumn<T> {
  key: string;
  title: string;
  width?: number;
  render: (row: T) => ReactNode;
}

export function PlainTable<T>({ rows, rowKey, columns, loading, empty }: { rows: T[]; rowKey: (row: T) => string; columns: PlainColumn<T>[]; loading?: boolean; empty: ReactNode }) {
  const { token } = theme.useToken();
  const cell: CSSProperties = { padding: `${token.paddingSM}px ${token.padding}px`, borderBottom: `1px solid ${token.colorBorderSecondary}`, textAlign: 'start', verticalAlign: 'middle', overflowWrap: 'anywhere' };
  const wide = columns.length;
  return (
    <table style={{ width: '100%', borderCollapse: 'collapse', fontSize: token.fontSize, color: token.colorText }}>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.key} scope="col" style={{ ...cell, width: c.width, background: token.colorFillAlter, fontWeight: token.fontWeightStrong, color: token.colorTextHeading }}>
              {c.title}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {loading ? (
          <tr>
            <td colSpan={wide} style={cell}>
              <Loading />
            </td>
          </tr>
        ) : rows.length === 0 ? (
          <tr>
            <td colSpan={wide} style={cell}>
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} />
            </td>
          </tr>
        ) : (
          rows.map((r) => (
            <tr key={rowKey(r)}>
              {columns.map((c) => (
                <td key={c.key} style={cell}>
                  {c.render(r)}
                </td>
              ))}
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}

/** A titled panel as antd's Card draws one (title, extra on the right, body), without the Card's tabs and skeleton. */
export function Panel({ title, extra, children }: { title: ReactNode; extra?: ReactNode; children: ReactNode }) {
  const { token } = theme.useToken();
  return (
    <section style={{ background: token.colorBgContainer, border: `1px solid ${token.colorBorderSecondary}`, borderRadius: token.borderRadiusLG }}>
      <header style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: token.marginXS, padding: `${token.paddingSM}px ${token.paddingLG}px`, borderBottom: `1px solid ${token.colorBorderSecondary}` }}>
        {title}
        {extra}
      </header>
      <div style={{ padding: token.paddingLG }}>{children}</div>
    </section>
  );
}
