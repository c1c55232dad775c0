import { useEffect, useRef, useState } from 'react';
import type { ApiDiagnostic } from './diagnostics';

export interface CheckState {
  diagnostics: ApiDiagnostic[];
  /** The texts the diagnostics were computed on, by file; null before the first answer. */
  texts: Record<string, string> | null;
  /** No error (warnings allowed); null before the first answer. */
  ok: boolean | null;
  checking: boolean;
  failure: string | null;
}

/** What a check request answered: the diagnostics (200: warnings; 422: every diagnostic), or why it could not run. */
export type CheckAnswer = { ok: boolean; diagnostics: ApiDiagnostic[] } | { failure: string };

/**
 * Checks `files` through the API `delay` ms after the last change (as the user types); an answer
 * for texts that have changed since is still shown in the panel but the editor marks only the
 * text it was computed on.
 */
export function useDebouncedCheck<F extends { name: string; text: string }>(files: F[], run: (files: F[]) => Promise<CheckAnswer>, delay = 400): CheckState {
  const [state, setState] = useState<CheckState>({ diagnostics: [], texts: null, ok: null, checking: false, failure: null });
  const runRef = useRef(run);
  runRef.current = run;
  const key = JSON.stringify(files.map((f) => [f.name, f.text]));
  useEffect(() => {
    if (!files.length) return;
    let cancelled = false;
    const sent = Object.fromEntries(files.map((f) => [f.name, f.text]));
    const timer = setTimeout(async () => {
      setState((s) => ({ ...s, checking: true }));
      let answer: CheckAnswer;
      try {
        answer = await runRef.current(files);
      } catch {
        answer = { failure: '无法连接服务器,检查未完成' };
      }
      if (cancelled) return;
      if ('failure' in answer) setState((s) => ({ ...s, checking: false, failure: answer.failure }));
      else setState({ diagnostics: answer.diagnostics, texts: sent, ok: answer.ok, checking: false, failure: null });
    }, delay);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
    // The texts (key) decide; `files` is a new array on every render.
  }, [key, delay]);
  return state;
}
