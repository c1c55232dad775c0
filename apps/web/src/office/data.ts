import { queryOptions, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api, must, type Schemas } from '../api/client';
import { saveBlob } from '../files';
import type { ProblemStatus } from './problems';

/** The office pages' requests that take more than one call (every page of a list, uploads), and the lookups the pages share. */

const PAGE = 100;

/** Every problem the caller's library (or rectification) holds, in the status asked for, page by page. */
export async function allProblems(status?: ProblemStatus): Promise<Schemas['ProblemPage']> {
  const rows: Schemas['Problem'][] = [];
  let first: Schemas['ProblemPage'] | undefined;
  for (let offset = 0; ; offset += PAGE) {
    const page = must(await api.GET('/api/problems', { params: { query: { limit: PAGE, offset, ...(status ? { status } : {}) } } }));
    first ??= page;
    rows.push(...page.rows);
    if (page.rows.length < PAGE || rows.length >= page.total) break;
  }
  return { rows, total: first.total, counts: first.counts };
}

/** Uploads a file as a problem's evidence (the body is the file, its name in the query). */
export async function uploadProblemEvidence(problemId: string, file: File): Promise<Schemas['Evidence']> {
  return must(
    await api.POST('/api/problems/{id}/evidence', {
      params: { path: { id: problemId }, query: { filename: file.name } },
      body: file as unknown as string,
      bodySerializer: (b: unknown) => b as BodyInit,
      headers: { 'Content-Type': 'application/octet-stream' },
    }),
  );
}

/** Downloads a letter as the official document (.docx or .pdf), under the API's file name. */
export async function downloadLetter(letterId: string, number: string, format: 'docx' | 'pdf'): Promise<void> {
  const r =
    format === 'docx'
      ? await api.GET('/api/letters/{id}/document.docx', { params: { path: { id: letterId } }, parseAs: 'blob' })
      : await api.GET('/api/letters/{id}/document.pdf', { params: { path: { id: letterId } }, parseAs: 'blob' });
  saveBlob(must(r) as Blob, r.response, `${number}.${format}`);
}

/** The published procedures (GET /api/procedures): one cache entry for every page that lists them. */
export const proceduresQuery = queryOptions({ queryKey: ['procedures'], queryFn: async () => must(await api.GET('/api/procedures')) });

/**
 * A procedure's published versions with their stages, attributes and roles: one cache entry per
 * procedure (`['procedure-versions', id]`, the key the workbench drops after publishing).
 */
export const procedureVersionsQuery = (id: string) =>
  queryOptions({ queryKey: ['procedure-versions', id], staleTime: 60_000, queryFn: async () => must(await api.GET('/api/procedures/{id}/versions', { params: { path: { id } } })) });

export function useMe() {
  return useQuery({ queryKey: ['me'], queryFn: async () => must(await api.GET('/api/auth/me')) });
}

/** The units the caller's scope shows (GET /api/units: a reform office its region and below; any unit its own and those on its plans). */
export function useUnits(options: { enabled?: boolean } = {}) {
  return useQuery({ queryKey: ['units'], staleTime: 60_000, enabled: options.enabled ?? true, queryFn: async () => must(await api.GET('/api/units')).rows });
}

/** Unit names by id, from the units directory; a unit it does not list is 其他单位 on the pages. */
export function useUnitNames(): Map<string, string> {
  const units = useUnits();
  return useMemo(() => new Map((units.data ?? []).map((u) => [u.id, u.name])), [units.data]);
}

/** A problem's evidence files (uploaded for it, or cited by its cancellation). */
export function useProblemEvidence(problemId: string) {
  return useQuery({ queryKey: ['problem', problemId, 'evidence'], queryFn: async () => must(await api.GET('/api/problems/{id}/evidence', { params: { path: { id: problemId } } })).rows });
}

/** Downloads one of a problem's evidence files under its own name. */
export async function downloadProblemEvidence(problemId: string, evidence: Schemas['Evidence']): Promise<void> {
  const r = await api.GET('/api/problems/{id}/evidence/{evidenceId}', { params: { path: { id: problemId, evidenceId: evidence.evidenceId } }, parseAs: 'blob' });
  saveBlob(must(r) as Blob, r.response, evidence.filename);
}

/** The plans of the caller's ledger (open, not the problems' and rounds' own workflows), by id: title and lead unit. */
export function usePlans() {
  return useQuery({
    queryKey: ['ledger', 'office-plans'],
    queryFn: async () => {
      const page = must(await api.GET('/api/plans', { params: { query: { status: 'open', sort: 'title', direction: 'asc', limit: 100 } } }));
      return page.rows.filter((r) => r.procedure.id !== 'problem' && r.procedure.id !== 'self_inspection');
    },
  });
}
