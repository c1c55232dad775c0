import { MergeView } from '@codemirror/merge';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { useEffect, useRef } from 'react';
import { chinesePhrases } from './phrases';
import { rulesHighlighting } from './rules-language';

/** What is published (left) beside the text in the editor (right), changes marked: a read-only merge view. */
export function MergeDiff({ published, current }: { published: string; current: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const readOnly = [EditorView.editable.of(false), EditorState.readOnly.of(true), rulesHighlighting('rules'), EditorView.lineWrapping, chinesePhrases];
    const view = new MergeView({ a: { doc: published, extensions: readOnly }, b: { doc: current, extensions: readOnly }, parent: host.current!, collapseUnchanged: { margin: 3, minSize: 6 } });
    return () => view.destroy();
  }, [published, current]);
  return <div ref={host} aria-label="与已发布版本逐行比较" style={{ border: '1px solid #d9d9d9', borderRadius: 6 }} />;
}
