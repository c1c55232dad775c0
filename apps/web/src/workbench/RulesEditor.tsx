import { lintGutter, setDiagnostics } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';
import { lintMarks, type ApiDiagnostic } from './diagnostics';
import { chinesePhrases } from './phrases';
import { rulesHighlighting } from './rules-language';

export interface RulesEditorHandle {
  /** Puts the cursor at a line and column (from 1) and scrolls it into view. */
  goTo(line: number, column: number): void;
  /** Replaces the whole text (format, a file loaded), as one undoable change. */
  replace(text: string): void;
}

interface Props {
  /** The file's name, as the diagnostics name it. */
  file: string;
  /** A new key starts a new editor (its own undo history): another procedure's or file's text. */
  docKey: string;
  value: string;
  onChange(text: string): void;
  /** The last check's diagnostics, for the text they were computed on (`checkedText`): marks only when that is the text shown. */
  diagnostics: readonly ApiDiagnostic[];
  checkedText: string | null;
  kind: 'rules' | 'holidays';
  label: string;
}

const theme = EditorView.theme({
  '&': { fontSize: '14px', border: '1px solid #d9d9d9', borderRadius: '6px', minHeight: '320px' },
  '.cm-content': { fontFamily: '"Sarasa Mono SC", "Noto Sans Mono CJK SC", monospace' },
  '.cm-scroller': { maxHeight: '60vh', overflow: 'auto' },
});

/** A CodeMirror 6 editor for a rules or holiday file, with highlighting and the checker's lint markers. */
export const RulesEditor = forwardRef<RulesEditorHandle, Props>(function RulesEditor({ file, docKey, value, onChange, diagnostics, checkedText, kind, label }, ref) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const changed = useRef(onChange);
  changed.current = onChange;

  useEffect(() => {
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          basicSetup,
          chinesePhrases,
          // Tab is left to the page (no indentWithTab): the keyboard moves on past the editor; 排版 indents.
          lintGutter(),
          rulesHighlighting(kind),
          theme,
          EditorView.contentAttributes.of({ 'aria-label': label }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) changed.current(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // A new file, a new editor; `value` changes while typing are the editor's own.
  }, [docKey, kind]);

  // A value set from outside (format, a version loaded) that the editor does not hold yet.
  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
  }, [value]);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const text = v.state.doc.toString();
    if (checkedText !== null && checkedText !== text) return;
    v.dispatch(setDiagnostics(v.state, checkedText === null ? [] : lintMarks(file, text, diagnostics)));
  }, [diagnostics, checkedText, file, value]);

  useImperativeHandle(ref, () => ({
    goTo(line, column) {
      const v = view.current;
      if (!v) return;
      const l = v.state.doc.line(Math.min(Math.max(1, line), v.state.doc.lines));
      const pos = Math.min(l.from + Math.max(0, column - 1), l.to);
      v.dispatch({ selection: { anchor: pos }, scrollIntoView: true });
      v.focus();
    },
    replace(text) {
      const v = view.current;
      if (v && v.state.doc.toString() !== text) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: text } });
    },
  }));

  return <div ref={host} data-file={file} />;
});
